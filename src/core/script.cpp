#include "core/script.hpp"

#include <algorithm>

namespace dramaloc {

const char* to_string(LineOrigin origin) noexcept {
    switch (origin) {
        case LineOrigin::Asr: return "asr";
        case LineOrigin::Ocr: return "ocr";
        case LineOrigin::Import: return "import";
        case LineOrigin::Translation: return "translation";
        case LineOrigin::Manual: return "manual";
    }
    return "import";
}

std::optional<LineOrigin> line_origin_from_string(std::string_view s) noexcept {
    for (auto o : {LineOrigin::Asr, LineOrigin::Ocr, LineOrigin::Import, LineOrigin::Translation,
                   LineOrigin::Manual}) {
        if (s == to_string(o)) return o;
    }
    return std::nullopt;
}

const Line* Script::find(int id) const {
    auto it = std::find_if(lines.begin(), lines.end(), [id](const Line& l) { return l.id == id; });
    return it == lines.end() ? nullptr : &*it;
}

std::string SubtitleEvent::joined(std::string_view separator) const {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i) out += separator;
        out += lines[i];
    }
    return out;
}

void fill_in(Character& known, const Character& learnt) {
    if (known.median_pitch_hz <= 0) known.median_pitch_hz = learnt.median_pitch_hz;
    if (known.voice_register == VoiceRegister::Unknown) known.voice_register = learnt.voice_register;
    if (known.name.empty()) known.name = learnt.name;
    for (const auto& [language, voice] : learnt.voice_per_language) known.voice_per_language.emplace(language, voice);
    if (known.reference_audio.empty()) known.reference_audio = learnt.reference_audio, known.reference_text = learnt.reference_text;
}

const Character* Series::character(std::string_view id) const {
    auto it = std::find_if(cast.begin(), cast.end(), [id](const Character& c) { return c.id == id; });
    return it == cast.end() ? nullptr : &*it;
}

}  // namespace dramaloc
