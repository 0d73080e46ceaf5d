#pragma once
// The source job's walk of the stage graph: an episode into its source script (decode the
// audio once, find speech, transcribe, import or read the picture, attribute lines to
// characters), composed of the units in pipeline/stages/source.hpp.
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
#include "pipeline/episode_facts.hpp"
#include "pipeline/localize.hpp"
#include "pipeline/stage.hpp"
#include "pipeline/stages/source.hpp"

namespace dramaloc::pipeline {

// What the source job's stages made of one episode, stage by stage (pipeline/stages/source.hpp).
struct SourceAnalysis {
    std::string input_key;      // content hash of the episode file
    bool has_audio = true;
    SourcePlan plan;            // hardsubs: the source's mode, and the burned-in subtitles when read
    DecodedAudio audio;         // decode (nothing when there is no audio)
    SpeechRegions speech;       // speech-regions
    SourceLines lines;          // transcribe, import or refine-timing
    SourceScript script;        // source-script, then series-speakers
    VoiceReferences voice_references;  // voice-reference: those cut here (empty when none was)
    TimeMs duration_ms = 0;
};

// `facts`: the episode's probe and content hash (pipeline/episode_facts.hpp), learnt once.
SourceAnalysis analyse_source(StageContext& context, const std::filesystem::path& episode, const EpisodeFacts& facts,
                              const LocalizeOptions& options);

// Why the burned-in subtitles cannot be read with these options (no OCR backend in this build,
// no model for the source language), or empty when they can.
std::string ocr_unavailable_reason(const std::string& ocr_backend, const std::string& language);

// Throws EngineError when the recognizer cannot do the source language (naming the ways out;
// `other_sources`: the script could come from the picture or a file instead).
void require_recognizer_language(engines::SpeechRecognizer& recognizer, const LocalizeOptions& options);
void require_recognizer_language(engines::SpeechRecognizer& recognizer, const std::string& backend, const std::string& language,
                                 bool other_sources);

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
