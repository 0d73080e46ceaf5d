// Stage voice-reference: each character's cleanest speech cut into a clip, for a cloning
// synthesizer (the choosing itself: pipeline/voice_reference.hpp).
#include <algorithm>

#include "media/wav.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/stages/source.hpp"
#include "pipeline/voice_reference.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

json VoiceReferences::to_json() const {
    json out = json::object();
    for (const auto& [id, cut] : by_character)
        out[id] = cut.file.empty() ? json{{"reason", cut.reason}}
                                   : json{{"file", cut.file}, {"text", cut.text}, {"seconds", cut.seconds}, {"line_ids", cut.line_ids}};
    return out;
}

VoiceReferences VoiceReferences::from_json(const json& j) {
    VoiceReferences out;
    for (const auto& [id, r] : j.items()) {
        VoiceReferenceCut cut;
        if (r.contains("file")) {
            cut.file = r.at("file").get<std::string>();
            cut.text = r.at("text").get<std::string>();
            cut.seconds = r.at("seconds").get<double>();
            cut.line_ids = r.at("line_ids").get<std::vector<int>>();
        } else {
            cut.reason = r.at("reason").get<std::string>();
        }
        out.by_character[id] = std::move(cut);
    }
    return out;
}

VoiceReferences cut_voice_references(StageContext& context, SourceScript& script, const DecodedAudio& audio,
                                     const engines::EngineSettings& tts, const std::string& language) {
    std::vector<std::string> missing;
    for (const auto& c : script.characters)
        if (c.reference_audio.empty()) missing.push_back(c.id);
    if (missing.empty()) return {};
    ReferenceOptions limits;
    limits.min_s = tts.reference_min_s;
    limits.max_s = tts.reference_max_s;
    limits.target_s = std::clamp(8.0, limits.min_s, limits.max_s);
    context.announce("cut voice references for " + std::to_string(missing.size()) + " characters");
    const std::string key = stage_key(StageId::VoiceReference, "", {script.key, audio.key()},
                                      json{missing, limits.min_s, limits.max_s, limits.target_s, limits.gap_ms}.dump());
    const fs::path dir = run_stage(context, {StageId::VoiceReference, "episode", "", key}, [&](const fs::path& d) {
        const auto measures = measure_lines(audio.speech(), script.script.lines);
        VoiceReferences made;
        for (std::size_t k = 0; k < missing.size(); ++k) {
            const auto who = std::find_if(script.characters.begin(), script.characters.end(),
                                          [&](const Character& c) { return c.id == missing[k]; });
            const auto choice = choose_reference(script.script.lines, measures, missing[k], who->median_pitch_hz, language, limits);
            VoiceReferenceCut& cut = made.by_character[missing[k]];
            if (choice.lines.empty()) {
                cut.reason = choice.reason;
                continue;
            }
            cut.file = "reference-" + std::to_string(k + 1) + ".wav";
            media::write_wav(d / cut.file, cut_reference(audio.original_wav(), choice.lines, limits.gap_ms), media::WavSampleFormat::Pcm16);
            cut.text = choice.text;
            cut.seconds = choice.seconds;
            for (const auto& l : choice.lines) cut.line_ids.push_back(l.id);
        }
        write_json(d / "references.json", made.to_json());
    });
    VoiceReferences out = VoiceReferences::from_json(read_json(dir / "references.json"));
    for (auto& c : script.characters) {
        const auto it = out.by_character.find(c.id);
        if (it == out.by_character.end() || it->second.file.empty()) continue;
        c.reference_audio = (dir / it->second.file).string();
        c.reference_text = it->second.text;
    }
    return out;
}

}  // namespace dramaloc::pipeline
