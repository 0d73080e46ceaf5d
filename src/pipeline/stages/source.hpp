#pragma once
// The source job's stages (pipeline/stage_graph.cpp, "job source" and "job characters"), one
// unit each, in the graph's order; pipeline/source_stages.cpp composes them into
// analyse_source. Each takes what it reads and returns what it made, typed; its artifact
// files are written and read in its own file (stages/NAME.cpp), nowhere else.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/script.hpp"
#include "engines/engine_settings.hpp"
#include "engines/vad.hpp"
#include "hardsubs/extract.hpp"
#include "media/audio.hpp"
#include "pipeline/localize.hpp"
#include "pipeline/script_source.hpp"
#include "pipeline/stage.hpp"

namespace dramaloc::pipeline {

// hardsubs (stages/hardsubs.cpp): which source the script comes from, and the burned-in
// subtitles when they were read.
struct SourcePlan {
    SourceMode mode = SourceMode::Asr;  // the mode used (auto resolved)
    std::string note;                   // why, when auto or a fallback chose it
    std::string hardsubs_key;           // the extraction's artifact, when the subtitles were read
    // The burned-in subtitles, when read: the script's text when `mode` is ocr/both; kept even
    // when auto fell back to asr (subtitles in another language), for removal.
    std::optional<hardsubs::HardsubExtraction> hardsubs;
    // With a studio's script as the source: whether the burned-in subtitles are in its language
    // (then they time a script without times and are compared with it).
    bool hardsubs_say_the_script = false;
};
// `ocr`: the OCR backend; `jobs`: its workers.
SourcePlan plan_source(StageContext& context, const std::filesystem::path& episode, const std::string& input_key, bool has_audio,
                       const SourceOptions& options, const std::string& ocr, int jobs);
// The artifact's serializer (hardsubs.json "extraction").
nlohmann::json extraction_to_json(const hardsubs::HardsubExtraction& x);
hardsubs::HardsubExtraction extraction_from_json(const nlohmann::json& j);

// decode (stages/decode.cpp): the soundtrack, once. The 16 kHz speech is read from its
// artifact the first time a stage asks for it, so a run whose stages are all stored reads none.
class DecodedAudio {
public:
    DecodedAudio() = default;
    DecodedAudio(std::string key, std::filesystem::path original_wav, std::filesystem::path speech_wav, TimeMs duration_ms);
    const std::string& key() const { return key_; }
    const std::filesystem::path& original_wav() const { return original_wav_; }  // 48 kHz float, the episode's channels
    TimeMs duration_ms() const { return duration_ms_; }
    const media::AudioBuffer& speech() const;  // 16 kHz mono; thread-safe

private:
    std::string key_;
    std::filesystem::path original_wav_, speech_wav_;
    TimeMs duration_ms_ = 0;
    struct Speech {
        std::once_flag once;
        media::AudioBuffer audio;
    };
    std::shared_ptr<Speech> speech_ = std::make_shared<Speech>();
};
// `channels` of the mix (1 or 2).
DecodedAudio decode_audio(StageContext& context, const std::filesystem::path& episode, const std::string& input_key, int channels);

// speech-regions (stages/speech_regions.cpp)
struct SpeechRegions {
    std::string key;
    std::vector<engines::SpeechRegion> regions;
};
SpeechRegions find_speech(StageContext& context, const DecodedAudio& audio, const std::string& vad_backend);

// transcribe, import and refine-timing: the source lines before speakers, and their key.
struct SourceLines {
    std::string key;
    std::vector<Line> lines;
    // import: where the studio's script and the burned-in subtitles disagree.
    std::vector<ScriptDisagreement> disagreements;
};
// transcribe (stages/transcribe.cpp)
SourceLines transcribe(StageContext& context, const DecodedAudio& audio, const SpeechRegions& speech,
                       const engines::EngineSettings& asr, const std::string& language, int jobs);
// import (stages/import.cpp)
SourceLines import_script(StageContext& context, const std::filesystem::path& file, const SourcePlan& plan,
                          const SpeechRegions& speech, TimeMs duration_ms);
// refine-timing (stages/refine_timing.cpp): the burned-in lines, timed by the speech under them
// in mode both.
SourceLines lines_from_picture(const SourcePlan& plan, const SpeechRegions& speech);
std::vector<Line> lines_from_hardsubs(const hardsubs::HardsubExtraction& x);

// source-script (stages/source_script.cpp): the lines split at voice turns and attributed to
// characters.
struct SourceScript {
    std::string key;
    Script script;
    std::vector<Character> characters;  // with their voice references when the synthesizer clones
};
SourceScript identify_speakers(StageContext& context, const SourceLines& lines, const DecodedAudio* audio, SourceMode mode,
                               const SourceOptions& options, const std::string& speakers_backend);

// series-speakers (stages/series_speakers.cpp): the series' ids for this episode's voices
// (the factory's phase 2), lines and characters renamed, and a key of its own.
void apply_speaker_map(SourceScript& script, const std::map<std::string, std::string>& map,
                       const std::vector<Character>& series_characters);

// voice-reference (stages/voice_reference.cpp): a clip of each character's cleanest speech,
// for a cloning synthesizer.
struct VoiceReferenceCut {
    std::string file;  // in the artifact; empty with `reason`
    std::string text;
    double seconds = 0;
    std::vector<int> line_ids;
    std::string reason;  // why none could be cut
};
struct VoiceReferences {
    std::map<std::string, VoiceReferenceCut> by_character;  // those that needed one here
    nlohmann::json to_json() const;                         // references.json, and the manifest's "voice_references"
    static VoiceReferences from_json(const nlohmann::json& j);
};
// For every character of `script` without a reference; those cut get their reference_audio.
VoiceReferences cut_voice_references(StageContext& context, SourceScript& script, const DecodedAudio& audio,
                                     const engines::EngineSettings& tts, const std::string& language);

}  // namespace dramaloc::pipeline
