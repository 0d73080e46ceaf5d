#pragma once
// The stages of one target language: translate, segment into subtitles, synthesize each
// line in its character's voice, fit it into its slot, mix the dub, check the result.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/script.hpp"
#include "media/audio.hpp"
#include "pipeline/source_stages.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::pipeline {

struct LanguageResult {
    std::string language;
    Script script;                        // what is spoken: translated, edited, shortened; ids and times of the source
    std::vector<std::string> machine;     // per line, the machine translation (before edits and shortening)
    std::string subtitles_key;
    std::vector<SubtitleEvent> events;
    std::string dub_key;
    std::filesystem::path dub_wav;        // artifact file: 48 kHz stereo 16-bit
    std::filesystem::path dub_m4a;        // artifact file: the same, AAC in an audio-only MP4
    nlohmann::json qc;                    // {"findings": [...], "summary": {...}}
};

// Subtitle events for a script (a stage of its own, so the source language gets one too).
std::vector<SubtitleEvent> segment_stage(StageContext& context, const Script& script, const std::string& script_key,
                                         const subtitles::SubtitleRules& rules, FrameRate fps, std::string& key_out);

LanguageResult localize_language(StageContext& context, const SourceAnalysis& source, const std::string& language,
                                 const LocalizeOptions& options, const subtitles::SubtitleRules& rules, FrameRate fps);

}  // namespace dramaloc::pipeline
