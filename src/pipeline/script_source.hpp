#pragma once
// A studio's own script as the source (`[series] script`, `localize --script`): the lines of a
// subtitle file (SRT, WebVTT, ASS, TTML) or of a plain text file with one subtitle a line.
// Lines without times are timed by the episode: by the burned-in subtitles when they were
// read (the script's lines matched to them by their text), else by the speech. When both the
// script and burned-in subtitles exist, the lines where they disagree are reported (QC).
// Pure functions: no I/O but reading the script file.
#include <filesystem>
#include <string>
#include <vector>

#include "core/script.hpp"
#include "engines/vad.hpp"

namespace dramaloc::pipeline {

struct ScriptFile {
    std::vector<Line> lines;  // ids 1..N, origin Import; times 0 when the file has none
    bool timed = true;        // false for a plain text file
};

// Reads the script. Throws InputError naming the file and the line for a malformed one
// (invalid UTF-8, control characters, a subtitle file its reader refuses), or one with no line.
ScriptFile read_script_file(const std::filesystem::path& file);

// Untimed lines timed by `timed` lines of the same text in the same order (the burned-in
// subtitles): matched by their text, in order, allowing lines on either side to have no match;
// as many unmatched lines on each side between two matches pair up in order (lines rewritten
// since); a line left without a match takes the time between its neighbours'.
std::vector<Line> time_by_matching_lines(std::vector<Line> untimed, const std::vector<Line>& timed, TimeMs duration_ms);

// Untimed lines timed by the speech: regions merged at their shortest pauses (or the longest
// split in proportion to the lines' lengths) until there is one stretch of speech per line.
std::vector<Line> time_by_speech(std::vector<Line> untimed, const std::vector<engines::SpeechRegion>& regions, TimeMs duration_ms);

// Where the script and the burned-in subtitles disagree: a script line whose burned-in
// counterpart (the one overlapping it most in time) has other words (spaces and punctuation
// aside), or that has none; and burned-in text no script line covers.
struct ScriptDisagreement {
    int line = 0;          // the script line's id; 0 for burned-in text the script lacks
    TimeMs start = 0;
    TimeMs end = 0;
    std::string script;    // empty when the script lacks it
    std::string picture;   // empty when the picture does not show it
};
std::vector<ScriptDisagreement> compare_script_with_picture(const std::vector<Line>& script, const std::vector<Line>& picture);

}  // namespace dramaloc::pipeline
