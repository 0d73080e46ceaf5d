#pragma once
// The stages that turn an episode into its source script: decode the audio once, find
// speech, transcribe it in parallel chunks, attribute lines to characters.
#include <filesystem>
#include <string>
#include <vector>

#include "core/script.hpp"
#include "engines/vad.hpp"
#include "media/audio.hpp"
#include "pipeline/localize.hpp"
#include "pipeline/stage.hpp"

namespace dramaloc::pipeline {

struct SourceAnalysis {
    std::string input_key;      // content hash of the episode file
    std::string audio_key;
    std::string regions_key;
    std::string script_key;     // the source script with speakers
    media::AudioBuffer original;  // 48 kHz, the episode's channels (mono or stereo)
    std::vector<engines::SpeechRegion> regions;
    Script script;
    std::vector<Character> characters;
    TimeMs duration_ms = 0;
};

SourceAnalysis analyse_source(StageContext& context, const std::filesystem::path& episode,
                              const LocalizeOptions& options);

// ASR chunks: speech regions grouped into pieces of at most `max_ms`, padded a little so
// words at the edges are not clipped. Exposed for tests.
std::vector<engines::SpeechRegion> asr_chunks(const std::vector<engines::SpeechRegion>& regions, TimeMs duration_ms,
                                              TimeMs max_ms = 20000, TimeMs padding_ms = 200);

}  // namespace dramaloc::pipeline
