#pragma once
// Quality check of subtitle events against the rules. Violations are results, not
// exceptions: every one is reported, in event order.
//
// rule                    severity  value / limit
// "empty"                 error     lines with text / 1
// "order"                 error     end - start in ms / 1   (end ≤ start), or start of the
//                                   event / start of the previous one (starts go backwards)
// "overlap"               error     ms of overlap with an earlier event / 0
// "max_lines"             error     line count / max_lines
// "max_chars_per_line"    error     characters on the longest line / max_chars_per_line
// "min_gap"               error     gap to the previous event in frames / min_gap_frames
// "min_duration"          warning   duration ms / min_duration
// "max_duration"          warning   duration ms / max_duration
// "max_chars_per_second"  warning   characters per second / max_chars_per_second
//
// Characters are graphemes of all lines together (spaces and punctuation included).
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/script.hpp"
#include "core/time.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::subtitles {

enum class Severity { Error, Warning };
const char* to_string(Severity severity) noexcept;  // "error", "warning"

struct Violation {
    int event_id = 0;
    std::string rule;
    double value = 0;
    double limit = 0;
    Severity severity = Severity::Error;
    std::string message;  // one line, e.g. "event 3: line 1 has 47 characters; at most 42"
};

std::vector<Violation> check_events(const std::vector<SubtitleEvent>& events, const SubtitleRules& rules,
                                    FrameRate frame_rate);

// [{"event_id":3,"rule":"max_chars_per_line","severity":"error","value":47,"limit":42,
//   "message":"..."}, ...] — keys are stable (documented in docs/).
nlohmann::json to_json(const std::vector<Violation>& violations);

}  // namespace dramaloc::subtitles
