#pragma once
// Subtitle timing and layout rules, per language, with the defaults professional
// studios use (Netflix Timed Text Style Guides, which most vendors follow):
//
//   language class     chars/line  reading speed (chars/s)
//   Latin/Cyrillic/Greek   42      17
//   Arabic, Hebrew         42      17
//   Devanagari             42      17
//   Thai                   35      15
//   Chinese (zh)           16       9
//   Korean (ko)            16      12
//   Japanese (ja)          13       4
//
// "chars" are user-perceived characters (grapheme_count), spaces and punctuation
// included; a CJK ideograph or full-width punctuation mark counts as one, so the
// Chinese reading speed of 9 means nine characters (roughly four to five words) a
// second. Everyone: at most 2 lines, 5/6 s to 7 s on screen, 2 frames between events.
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace dramaloc {
class Config;
struct ConfigTable;
}

namespace dramaloc::subtitles {

struct SubtitleRules {
    int max_lines = 2;
    int max_chars_per_line = 42;
    double max_chars_per_second = 17.0;
    TimeMs min_duration = 833;   // 5/6 s
    TimeMs max_duration = 7000;
    int min_gap_frames = 2;

    bool operator==(const SubtitleRules&) const = default;
};

// The table above; unknown languages get the Latin defaults.
SubtitleRules rules_for_language(std::string_view language);

// What [subtitles.rules.<default|language>] may hold (core/config_schema.hpp): the fields
// above, durations in milliseconds, with their ranges.
ConfigTable rules_config_table();

// Applies `[subtitles.rules.default]`, then `[subtitles.rules.<primary subtag>]`, then
// `[subtitles.rules.<full tag>]` (e.g. "pt" then "pt-BR") of a config checked against
// rules_config_table(). Throws ConfigError naming the file and line when a layer leaves
// min_duration above max_duration.
void apply_overrides(SubtitleRules& rules, const Config& config, std::string_view language);

// Words that steer line and event breaks, lower case.
struct BreakWords {
    std::vector<std::string> conjunctions;     // prefer to break BEFORE these
    std::vector<std::string> never_end_line;   // articles, determiners, prepositions: never break AFTER
};

// Lists for en, es, fr, pt, it, de, ca, nl, th; empty lists for other languages.
const BreakWords& break_words_for_language(std::string_view language);

// Case-insensitive (ASCII/Latin-1 letters) look-ups of a single word, ignoring
// surrounding punctuation.
bool is_conjunction(std::string_view word, std::string_view language);
bool must_not_end_line(std::string_view word, std::string_view language);

}  // namespace dramaloc::subtitles
