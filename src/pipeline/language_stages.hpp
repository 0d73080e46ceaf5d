#pragma once
// The language job's walk of the stage graph: translate, speak each line in its character's
// voice and fit it into its slot (shortening what does not fit), segment the subtitles, mix
// and encode the dub, then check the result (QC). Composed of the units in
// pipeline/stages/language.hpp.
#include <filesystem>
#include <string>
#include <vector>

#include "core/script.hpp"
#include "pipeline/qc.hpp"
#include "pipeline/source_stages.hpp"
#include "pipeline/stages/language.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::pipeline {

struct LanguageResult {
    std::string language;
    Script script;                        // what is spoken: translated, edited, shortened; ids and times of the source
    std::vector<std::string> machine;     // per line, the machine translation (before edits and shortening)
    SubtitleTrack subtitles;
    Dub dub;
    std::filesystem::path dub_m4a;        // artifact file: the dub, AAC in an audio-only MP4
    QcReport qc;
    std::vector<QcFinding> edit_conflicts;  // people's edits that no longer apply as made (also in qc)
};

LanguageResult localize_language(StageContext& context, const SourceAnalysis& source, const std::string& language,
                                 const LocalizeOptions& options, const subtitles::SubtitleRules& rules, FrameRate fps);

}  // namespace dramaloc::pipeline
