// Stage subtitles: a script segmented into subtitle events by its language's rules (the
// source language's script too).
#include "core/script_json.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/stages/language.hpp"
#include "subtitles/segment.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

SubtitleTrack segment_subtitles(StageContext& context, const Script& script, const std::string& script_key,
                                const subtitles::SubtitleRules& rules, FrameRate fps) {
    const std::string parameters = json{rules.max_lines, rules.max_chars_per_line, rules.max_chars_per_second, rules.min_duration,
                                        rules.max_duration, rules.min_gap_frames, fps.num, fps.den}
                                       .dump();
    SubtitleTrack out;
    out.key = stage_key(StageId::Subtitles, "", {script_key}, parameters);
    const fs::path dir = run_stage(context, {StageId::Subtitles, script.language, "", out.key}, [&](const fs::path& d) {
        write_json(d / "events.json", json(subtitles::segment_script(script, rules, fps)));
    });
    out.events = read_json(dir / "events.json").get<std::vector<SubtitleEvent>>();
    return out;
}

}  // namespace dramaloc::pipeline
