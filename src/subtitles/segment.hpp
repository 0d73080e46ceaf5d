#pragma once
// Segmentation: a script's timed lines become subtitle events that obey the rules.
//
// For each line:
//  1. Text and timing. Words with times give the text (joined with spaces, or without
//     for Chinese/Japanese/Thai) and the time of each character; a line without word
//     times (a translation) spreads its text over the line's span in proportion to
//     the grapheme count.
//  2. Units. The text is cut at ICU line-break opportunities (text.hpp); events and
//     display lines only ever break between units, so Thai and CJK need no spaces.
//  3. Events. The line is split into the fewest events such that each fits in
//     max_lines × max_chars_per_line and lasts at most max_duration. Among those
//     splits the cheapest wins: after sentence punctuation (cheapest), after a comma,
//     before a conjunction, anywhere else; never after an article/preposition (unless
//     nothing else fits). Pieces with a reading speed above the limit cost extra, so
//     boundaries move to where speech pauses. Reading speed alone never adds an event:
//     cutting a line into parts cannot lower its average speed; instead (step 5) the
//     event is lengthened into following silence and `check` reports what remains.
//  4. Layout. One line if it fits; otherwise the fewest lines (≤ max_lines) with the
//     same break preferences, then a balanced shape with a bottom-heavy tie-break
//     (the upper line no longer than the lower one — the "pyramid" most style guides
//     prefer because the eye returns to the start of the longer line).
//  5. Timing. Events are ordered by start; an event ending less than min_gap_frames
//     before the next starts is trimmed; an event shorter than min_duration, or too
//     short for its reading speed, is extended into the following silence (never past
//     max_duration, never closer to the next event than the gap).
// Event ids are 1-based display order; each event carries its line's speaker.
#include <string_view>
#include <vector>

#include "core/script.hpp"
#include "core/time.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::subtitles {

std::vector<SubtitleEvent> segment_script(const Script& script, const SubtitleRules& rules, FrameRate frame_rate);

// Step 4 alone: lays `text` out in at most rules.max_lines lines of at most
// rules.max_chars_per_line characters. When that is impossible (a single unbreakable
// word longer than a line) the result has longer or more lines; check_events reports it.
std::vector<std::string> layout_lines(std::string_view text, std::string_view language, const SubtitleRules& rules);

}  // namespace dramaloc::subtitles
