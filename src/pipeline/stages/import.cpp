// Stage import: the studio's script as the source lines, timed by the burned-in subtitles or
// by the speech when it has no times (key only: the file is read each run).
#include "pipeline/stages/source.hpp"

namespace dramaloc::pipeline {

SourceLines import_script(StageContext& context, const std::filesystem::path& file, const SourcePlan& plan,
                          const SpeechRegions& speech, TimeMs duration_ms) {
    ScriptFile script = read_script_file(file);
    const std::string file_key = context.hashes.hash(file);
    std::vector<Line> picture;
    if (plan.hardsubs && plan.hardsubs_say_the_script) picture = lines_from_hardsubs(*plan.hardsubs);
    SourceLines out;
    if (script.timed) {
        out.key = stage_key(StageId::Import, "", {file_key});
        out.lines = std::move(script.lines);
    } else if (!picture.empty()) {
        out.key = stage_key(StageId::Import, "timed-by-picture", {file_key, plan.hardsubs_key});
        out.lines = time_by_matching_lines(std::move(script.lines), picture, duration_ms);
        context.announce("the script's lines timed by the burned-in subtitles");
    } else {
        out.key = stage_key(StageId::Import, "timed-by-speech", {file_key, speech.key});
        out.lines = time_by_speech(std::move(script.lines), speech.regions, duration_ms);
        context.announce("the script's lines timed by the speech");
    }
    if (!picture.empty()) {
        out.disagreements = compare_script_with_picture(out.lines, picture);
        if (!out.disagreements.empty())
            context.announce("the script and the burned-in subtitles disagree on " + std::to_string(out.disagreements.size()) +
                             " lines (qc.json: source.script_disagreements)");
    }
    return out;
}

}  // namespace dramaloc::pipeline
