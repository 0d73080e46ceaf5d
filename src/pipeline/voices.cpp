#include "pipeline/voices.hpp"

#include <algorithm>
#include <array>

#include "core/error.hpp"

namespace dramaloc::pipeline {

std::map<std::string, std::string> assign_voices(const std::vector<Character>& characters, const std::string& language,
                                                 const engines::SpeechSynthesizer& tts) {
    const auto available = tts.voices(language);
    if (available.empty())
        throw EngineError(tts.name() + " has no voice for language \"" + language +
                          "\"; install espeak-ng-data (apt install espeak-ng-data) or configure an HTTP speech engine "
                          "([engines.tts] backend = \"openai\", docs/engines.md)");
    const auto has = [&](const std::string& v) { return std::find(available.begin(), available.end(), v) != available.end(); };

    std::vector<const Character*> sorted;
    for (const auto& c : characters) sorted.push_back(&c);
    std::sort(sorted.begin(), sorted.end(), [](const Character* a, const Character* b) { return a->id < b->id; });

    std::map<std::string, std::string> voices;
    std::size_t low = 0, high = 0;
    for (const Character* c : sorted) {
        if (auto it = c->voice_per_language.find(language); it != c->voice_per_language.end()) {
            voices[c->id] = it->second;  // the series file's choice wins
            continue;
        }
        const bool is_high = c->voice_register == VoiceRegister::High;
        const std::string name = tts.voice_for(language, is_high ? VoiceRegister::High : VoiceRegister::Low, is_high ? high++ : low++);
        voices[c->id] = has(name) ? name : language;
    }
    const std::string fallback = tts.voice_for(language, VoiceRegister::Low, 0);
    voices[""] = has(fallback) ? fallback : language;
    return voices;
}

}  // namespace dramaloc::pipeline
