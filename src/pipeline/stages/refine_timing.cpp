// Stage refine-timing: the burned-in lines as the source lines, timed by the speech under them
// when there is speech (key only).
#include "pipeline/source_stages.hpp"
#include "pipeline/stages/source.hpp"

namespace dramaloc::pipeline {

std::vector<Line> lines_from_hardsubs(const hardsubs::HardsubExtraction& x) {
    std::vector<Line> lines;
    for (const auto& s : x.subtitles) {
        Line line;
        line.id = static_cast<int>(lines.size()) + 1;
        line.start = s.start;
        line.end = s.end;
        line.text = s.text;
        line.origin = LineOrigin::Ocr;
        lines.push_back(std::move(line));
    }
    return lines;
}

void refine_with_speech(std::vector<Line>& lines, const std::vector<engines::SpeechRegion>& regions, TimeMs tolerance_ms) {
    for (Line& line : lines) {
        const TimeMs start = line.start, end = line.end;
        TimeMs new_start = start, new_end = end;
        for (const auto& r : regions) {
            // Only speech that overlaps the line (or nearly) moves its edges, each edge onto
            // the like edge of that speech.
            if (r.end <= start - tolerance_ms || r.start >= end + tolerance_ms) continue;
            if (r.start < end && std::abs(r.start - start) <= tolerance_ms && new_start == start) new_start = r.start;
            if (r.end > start && std::abs(r.end - end) <= tolerance_ms) new_end = r.end;
        }
        if (new_start < new_end) line.start = new_start, line.end = new_end;
    }
    // Moving edges must not make neighbours overlap: the later line starts where the earlier ends.
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (lines[i].start >= lines[i - 1].end) continue;
        const TimeMs moved = lines[i - 1].end;
        if (moved < lines[i].end) lines[i].start = moved;
        else lines[i - 1].end = lines[i].start;  // the earlier line gives way instead
    }
}

SourceLines lines_from_picture(const SourcePlan& plan, const SpeechRegions& speech) {
    SourceLines out;
    out.lines = lines_from_hardsubs(*plan.hardsubs);
    out.key = plan.hardsubs_key;
    if (plan.mode == SourceMode::Both) {
        refine_with_speech(out.lines, speech.regions);
        out.key = stage_key(StageId::RefineTiming, "speech-regions", {plan.hardsubs_key, speech.key});
    }
    return out;
}

}  // namespace dramaloc::pipeline
