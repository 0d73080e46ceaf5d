#include "pipeline/artifact_json.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"

namespace dramaloc::pipeline {

using nlohmann::json;

void write_json(const std::filesystem::path& path, const json& value) { write_file_atomically(path, value.dump(1) + "\n"); }

json read_json(const std::filesystem::path& path) {
    try {
        return json::parse(read_text_file(path));
    } catch (const json::exception& e) {
        throw IoError("artifact " + path.string() + " is damaged (" + e.what() + "); delete the store folder and run again");
    }
}

json regions_to_json(const std::vector<engines::SpeechRegion>& regions) {
    json out = json::array();
    for (const auto& r : regions) out.push_back({r.start, r.end});
    return out;
}

std::vector<engines::SpeechRegion> regions_from_json(const json& j) {
    std::vector<engines::SpeechRegion> out;
    for (const auto& r : j) out.push_back({r.at(0).get<TimeMs>(), r.at(1).get<TimeMs>()});
    return out;
}

namespace {
const char* register_name(VoiceRegister r) {
    switch (r) {
        case VoiceRegister::Low: return "low";
        case VoiceRegister::High: return "high";
        case VoiceRegister::Unknown: return "unknown";
    }
    return "unknown";
}
VoiceRegister register_from(const std::string& s) {
    if (s == "low") return VoiceRegister::Low;
    if (s == "high") return VoiceRegister::High;
    return VoiceRegister::Unknown;
}
}  // namespace

json character_to_json(const Character& c) {
    json j = {{"id", c.id},
              {"name", c.name},
              {"register", register_name(c.voice_register)},
              {"median_pitch_hz", c.median_pitch_hz},
              {"voices", c.voice_per_language}};
    if (!c.reference_audio.empty()) {
        j["reference_audio"] = c.reference_audio;
        j["reference_text"] = c.reference_text;
    }
    return j;
}

Character character_from_json(const json& c) {
    Character ch;
    ch.id = c.at("id").get<std::string>();
    ch.name = c.value("name", std::string{});
    ch.voice_register = register_from(c.value("register", std::string{"unknown"}));
    ch.median_pitch_hz = c.value("median_pitch_hz", 0.0f);
    ch.voice_per_language = c.value("voices", std::map<std::string, std::string>{});
    ch.reference_audio = c.value("reference_audio", std::string{});
    ch.reference_text = c.value("reference_text", std::string{});
    return ch;
}

json characters_to_json(const std::vector<Character>& characters) {
    json out = json::array();
    for (const auto& c : characters) out.push_back(character_to_json(c));
    return out;
}

std::vector<Character> characters_from_json(const json& j) {
    std::vector<Character> out;
    for (const auto& c : j) out.push_back(character_from_json(c));
    return out;
}

}  // namespace dramaloc::pipeline
