#include "pipeline/voices.hpp"

#include <algorithm>
#include <array>

#include "core/error.hpp"

namespace dramaloc::pipeline {

namespace {
// espeak-ng variants, most natural first; distinct characters of one register get distinct ones.
constexpr std::array<const char*, 5> kLowVariants{"m3", "m1", "m7", "m2", "m4"};
constexpr std::array<const char*, 5> kHighVariants{"f2", "f1", "f3", "f4", "f5"};
}  // namespace

std::map<std::string, std::string> assign_voices(const std::vector<Character>& characters, const std::string& language,
                                                 const engines::SpeechSynthesizer& tts) {
    const auto available = tts.voices(language);
    if (available.empty())
        throw EngineError(tts.name() + " has no voice for language \"" + language +
                          "\"; install espeak-ng-data (apt install espeak-ng-data) or configure an HTTP speech engine "
                          "([engines.tts] in the config)");
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
        const char* variant = is_high ? kHighVariants[high++ % kHighVariants.size()] : kLowVariants[low++ % kLowVariants.size()];
        const std::string name = language + "+" + variant;
        voices[c->id] = has(name) ? name : language;
    }
    voices[""] = has(language + "+m3") ? language + "+m3" : language;
    return voices;
}

}  // namespace dramaloc::pipeline
