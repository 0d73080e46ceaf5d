#pragma once
// The stages that turn an episode into its source script: decode the audio once, find
// speech, transcribe it in parallel chunks, attribute lines to characters.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/script.hpp"
#include "engines/asr.hpp"
#include "engines/vad.hpp"
#include "hardsubs/extract.hpp"
#include "pipeline/script_source.hpp"
#include "media/audio.hpp"
#include "media/probe.hpp"
#include "pipeline/localize.hpp"
#include "pipeline/stage.hpp"

namespace dramaloc::pipeline {

struct SourceAnalysis {
    std::string input_key;      // content hash of the episode file
    SourceMode mode = SourceMode::Asr;  // the mode used (auto resolved)
    std::string mode_note;      // why, when auto or a fallback chose it
    bool has_audio = true;
    std::string hardsubs_key;   // extraction artifact, when the burned-in subtitles were read
    // The burned-in subtitles, when read: the script's text when `mode` is ocr/both; kept even
    // when auto fell back to asr (subtitles in another language), for removal.
    std::optional<hardsubs::HardsubExtraction> hardsubs;
    // With a studio's script as the source: whether the burned-in subtitles are in its language
    // (then they time a script without times and are compared with it), and where they disagree.
    bool hardsubs_say_the_script = false;
    std::vector<ScriptDisagreement> script_disagreements;
    std::string audio_key;
    std::string regions_key;
    std::string script_key;     // the source script with speakers
    std::filesystem::path original_wav;  // artifact: 48 kHz float, the episode's channels (mono or stereo)
    std::vector<engines::SpeechRegion> regions;
    Script script;
    std::vector<Character> characters;  // with their voice references when the synthesizer clones
    // Per character id that needed a voice reference here: {file, text, seconds, line_ids}
    // or {reason} when none could be cut (empty when nothing was cut).
    nlohmann::json voice_references = nlohmann::json::object();
    TimeMs duration_ms = 0;
};

// `info` is the episode's probe (probed once per episode, by the caller).
SourceAnalysis analyse_source(StageContext& context, const std::filesystem::path& episode, const media::MediaInfo& info,
                              const LocalizeOptions& options);

// Cuts a voice reference (pipeline/voice_reference.hpp) for every character of `out` that has
// none, from `out.original_wav`; `speech` is the episode's 16 kHz mono soundtrack.
void add_voice_references(StageContext& context, SourceAnalysis& out, const media::AudioBuffer& speech,
                          const LocalizeOptions& options);

// Why the burned-in subtitles cannot be read with these options (no OCR backend in this build,
// no model for the source language), or empty when they can.
std::string ocr_unavailable_reason(const LocalizeOptions& options);

// Throws EngineError when the recognizer cannot do the source language (naming the ways out).
void require_recognizer_language(engines::SpeechRecognizer& recognizer, const LocalizeOptions& options);

// Moves each line's start and end onto the edge of the speech region it overlaps when that
// edge is within `tolerance_ms` (burned-in subtitles often appear a little before the voice
// and linger after it; the dub's slot is the speech). Lines never overlap afterwards.
void refine_with_speech(std::vector<Line>& lines, const std::vector<engines::SpeechRegion>& regions,
                        TimeMs tolerance_ms = 300);

// The words of a soundtrack (16 kHz mono), recognised the way an episode's speech is: speech
// regions, chunks, the recogniser, on this thread. For figures (the demo, bench/), not stages.
std::vector<Word> recognise_soundtrack(const media::AudioBuffer& speech, engines::SpeechRecognizer& recognizer,
                                       engines::VoiceActivityDetector& vad, std::string_view language);

// ASR chunks: speech regions grouped into pieces of at most `max_ms`, padded a little so
// words at the edges are not clipped. Exposed for tests.
std::vector<engines::SpeechRegion> asr_chunks(const std::vector<engines::SpeechRegion>& regions, TimeMs duration_ms,
                                              TimeMs max_ms = 20000, TimeMs padding_ms = 200);

}  // namespace dramaloc::pipeline
