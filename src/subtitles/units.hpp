#pragma once
// Internal to segment.cpp and layout.cpp: a text cut into "units" at the line-break
// opportunities ICU reports, with the cost of breaking before each unit. Events and
// display lines are sequences of whole units.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "subtitles/rules.hpp"

namespace dramaloc::subtitles::detail {

// Cost of breaking a line or an event at a boundary; lower is better.
namespace break_cost {
inline constexpr double kAfterSentence = 0;
inline constexpr double kAfterClause = 10;       // comma, semicolon, colon, dash
inline constexpr double kBeforeConjunction = 20;
inline constexpr double kPlain = 40;
inline constexpr double kAfterConjunction = 100;  // a conjunction starts a line, it does not end one
inline constexpr double kAfterArticle = 1000;    // allowed only when nothing else fits
}  // namespace break_cost

// Collapses runs of whitespace (and line breaks) into one space and trims the ends.
std::string normalise_spacing(std::string_view text);

class UnitText {
public:
    // `text` should already be NFC with single spaces; it is trimmed here.
    UnitText(std::string_view text, std::string_view language);

    const std::string& text() const { return text_; }
    std::size_t size() const { return starts_.size(); }  // number of units
    std::size_t byte_offset(std::size_t unit) const { return unit < starts_.size() ? starts_[unit] : text_.size(); }
    // Characters of units [first, last) without the trailing space.
    std::size_t chars(std::size_t first, std::size_t last) const;
    // Characters before `unit` (spaces included), for proportional timing.
    std::size_t chars_before(std::size_t unit) const { return prefix_chars_[unit]; }
    std::size_t total_chars() const { return prefix_chars_.back(); }
    // Text of units [first, last), trimmed.
    std::string_view slice(std::size_t first, std::size_t last) const;
    // Cost of breaking before `unit` (1 ≤ unit < size()).
    double cost_before(std::size_t unit) const { return cost_before_[unit]; }

private:
    std::string text_;
    std::vector<std::size_t> starts_;
    std::vector<std::size_t> prefix_chars_;   // size()+1 entries
    std::vector<std::size_t> trailing_space_; // per unit
    std::vector<double> cost_before_;
};

struct UnitLayout {
    std::vector<std::size_t> line_starts;  // first unit of each line
    double cost = 0;
};

// The best layout of units [first, last) in at most rules.max_lines lines of at most
// rules.max_chars_per_line characters; nullopt when none exists.
std::optional<UnitLayout> best_layout(const UnitText& units, std::size_t first, std::size_t last,
                                      const SubtitleRules& rules);

// Display lines of a layout.
std::vector<std::string> layout_text(const UnitText& units, const UnitLayout& layout, std::size_t last);

}  // namespace dramaloc::subtitles::detail
