// Stage source-script: the source lines split where another voice takes over and attributed
// to characters, with a voice profile for each.
#include <algorithm>

#include "core/script_json.hpp"
#include "engines/asr_lines.hpp"
#include "engines/speakers.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/stages/source.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;

SourceScript identify_speakers(StageContext& context, const SourceLines& lines, const DecodedAudio* audio, SourceMode mode,
                               const SourceOptions& options, const std::string& speakers_backend) {
    context.announce("identify speakers");
    auto speakers = engines::make_speaker_identifier(speakers_backend);
    const auto& known = options.known_characters;
    // Who is known decides the ids; their voice references do not (and live at paths that move).
    std::vector<Character> known_voices = known;
    for (auto& c : known_voices) c.reference_audio.clear(), c.reference_text.clear();
    SourceScript out;
    out.key = stage_key(StageId::SourceScript, speakers->version(), {lines.key, audio ? audio->key() : std::string()},
                        std::string(to_string(mode)) + "/" + options.language +
                            (known_voices.empty() ? std::string() : "/known=" + characters_to_json(known_voices).dump()));
    const fs::path dir = run_stage(context, {StageId::SourceScript, "episode", speakers->version(), out.key}, [&](const fs::path& d) {
        Script script{options.language, {}};
        // No line spans two voices: a line in which another voice takes over is two lines.
        for (const Line& line : lines.lines) {
            const auto turns = audio ? speakers->voice_turns(audio->speech(), line) : std::vector<engines::VoiceTurn>{};
            for (Line& part : engines::split_line_at_turns(line, turns)) script.lines.push_back(std::move(part));
        }
        for (std::size_t i = 0; i < script.lines.size(); ++i) script.lines[i].id = static_cast<int>(i) + 1;
        engines::SpeakerAssignment assignment;
        if (audio && !script.lines.empty()) assignment = speakers->identify(audio->speech(), script.lines, known);
        for (std::size_t i = 0; i < script.lines.size() && i < assignment.line_speakers.size(); ++i)
            script.lines[i].speaker = assignment.line_speakers[i];
        write_script_json(d / "script.json", script);
        write_json(d / "characters.json", characters_to_json(assignment.characters));
    });
    out.script = read_script_json(dir / "script.json");
    out.characters = characters_from_json(read_json(dir / "characters.json"));
    for (auto& c : out.characters) {  // references are this run's, not those of the run that made the artifact
        const auto same = std::find_if(known.begin(), known.end(), [&](const Character& k) { return k.id == c.id; });
        c.reference_audio = same == known.end() ? "" : same->reference_audio;
        c.reference_text = same == known.end() ? "" : same->reference_text;
    }
    return out;
}

}  // namespace dramaloc::pipeline
