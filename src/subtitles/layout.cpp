// Units and line layout (see segment.hpp, step 4).
#include <algorithm>
#include <cmath>
#include <limits>

#include "subtitles/segment.hpp"
#include "subtitles/text.hpp"
#include "subtitles/units.hpp"

namespace dramaloc::subtitles::detail {

namespace {

bool ends_with_any(std::string_view s, std::initializer_list<std::string_view> suffixes) {
    for (auto suffix : suffixes)
        if (s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix) return true;
    return false;
}

// Drops closing quotes and brackets so "Go!" and (Go!) both end a sentence.
std::string_view without_closers(std::string_view s) {
    while (true) {
        bool removed = false;
        for (std::string_view closer : {"\"", "'", ")", "]", "”", "’", "»", "」", "』", "）"}) {
            if (s.size() > closer.size() && s.substr(s.size() - closer.size()) == closer) {
                s.remove_suffix(closer.size());
                removed = true;
            }
        }
        if (!removed) return s;
    }
}

std::string_view last_word(std::string_view s) {
    const std::size_t space = s.find_last_of(' ');
    return space == std::string_view::npos ? s : s.substr(space + 1);
}

std::string_view first_word(std::string_view s) { return s.substr(0, s.find(' ')); }

double boundary_cost(std::string_view before, std::string_view after, std::string_view language) {
    const std::string_view end = without_closers(before);
    if (ends_with_any(end, {".", "!", "?", "…", "。", "！", "？", "؟", "।", "।"})) return break_cost::kAfterSentence;
    if (ends_with_any(end, {",", ";", ":", "，", "、", "；", "：", "،", "؛", "—", "–", " -"}))
        return break_cost::kAfterClause;
    if (must_not_end_line(last_word(before), language)) return break_cost::kAfterArticle;
    if (is_conjunction(last_word(before), language)) return break_cost::kAfterConjunction;
    if (is_conjunction(first_word(after), language)) return break_cost::kBeforeConjunction;
    return break_cost::kPlain;
}

}  // namespace

std::string normalise_spacing(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
        if (!space) out += c;
        else if (!out.empty() && out.back() != ' ') out += ' ';
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

UnitText::UnitText(std::string_view text, std::string_view language) : text_(trim(text)) {
    starts_.push_back(0);
    if (text_.empty()) {
        starts_.clear();
        prefix_chars_.push_back(0);
        return;
    }
    for (std::size_t p : line_break_opportunities(text_, language)) starts_.push_back(p);
    prefix_chars_.push_back(0);
    for (std::size_t u = 0; u < starts_.size(); ++u) {
        const std::string_view unit = std::string_view(text_).substr(starts_[u], byte_offset(u + 1) - starts_[u]);
        const std::string_view content = trim(unit);
        prefix_chars_.push_back(prefix_chars_.back() + grapheme_count(unit));
        trailing_space_.push_back(grapheme_count(unit) - grapheme_count(content));
    }
    cost_before_.assign(starts_.size(), 0.0);
    for (std::size_t u = 1; u < starts_.size(); ++u)
        cost_before_[u] = boundary_cost(slice(u - 1, u), slice(u, u + 1), language);
}

std::size_t UnitText::chars(std::size_t first, std::size_t last) const {
    if (last <= first) return 0;
    return prefix_chars_[last] - prefix_chars_[first] - trailing_space_[last - 1];
}

std::string_view UnitText::slice(std::size_t first, std::size_t last) const {
    const std::size_t b = byte_offset(first);
    return trim(std::string_view(text_).substr(b, byte_offset(last) - b));
}

std::optional<UnitLayout> best_layout(const UnitText& units, std::size_t first, std::size_t last,
                                      const SubtitleRules& rules) {
    const auto max_chars = static_cast<std::size_t>(std::max(1, rules.max_chars_per_line));
    if (last <= first) return UnitLayout{{first}, 0};
    const std::size_t total = units.chars(first, last);
    if (total <= max_chars) return UnitLayout{{first}, 0};  // one line whenever it fits
    const std::size_t n = last - first;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    for (int lines = 2; lines <= rules.max_lines; ++lines) {
        if (static_cast<std::size_t>(lines) > n) break;
        const double avg = static_cast<double>(total) / lines;
        // cost[k][e]: best cost of k lines covering units [first, first+e); from[k][e]: start of line k.
        std::vector<std::vector<double>> cost(static_cast<std::size_t>(lines) + 1, std::vector<double>(n + 1, kInf));
        std::vector<std::vector<std::size_t>> from(cost.size(), std::vector<std::size_t>(n + 1, 0));
        cost[0][0] = 0;
        for (std::size_t k = 1; k <= static_cast<std::size_t>(lines); ++k) {
            const bool last_line = k == static_cast<std::size_t>(lines);
            for (std::size_t e = k; e <= n; ++e) {
                if (last_line && e != n) continue;
                // Walk the line's start backwards; stop once the line is too long.
                for (std::size_t s = e; s-- > k - 1;) {
                    const std::size_t len = units.chars(first + s, first + e);
                    if (len > max_chars) break;
                    if (cost[k - 1][s] == kInf) continue;
                    const double deviation = static_cast<double>(len) - avg;
                    // Balanced, with a lean to bottom-heavy: a long upper line costs extra.
                    double c = std::abs(deviation) + (last_line ? 0.0 : 0.5 * std::max(0.0, deviation));
                    if (s > 0) c += units.cost_before(first + s);
                    if (cost[k - 1][s] + c < cost[k][e]) {
                        cost[k][e] = cost[k - 1][s] + c;
                        from[k][e] = s;
                    }
                }
            }
        }
        if (cost[static_cast<std::size_t>(lines)][n] == kInf) continue;
        UnitLayout layout;
        layout.cost = cost[static_cast<std::size_t>(lines)][n];
        std::size_t e = n;
        for (std::size_t k = static_cast<std::size_t>(lines); k > 0; --k) {
            layout.line_starts.push_back(first + from[k][e]);
            e = from[k][e];
        }
        std::reverse(layout.line_starts.begin(), layout.line_starts.end());
        return layout;
    }
    return std::nullopt;
}

std::vector<std::string> layout_text(const UnitText& units, const UnitLayout& layout, std::size_t last) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < layout.line_starts.size(); ++i) {
        const std::size_t end = i + 1 < layout.line_starts.size() ? layout.line_starts[i + 1] : last;
        const std::string_view t = units.slice(layout.line_starts[i], end);
        if (!t.empty()) lines.emplace_back(t);
    }
    return lines;
}

}  // namespace dramaloc::subtitles::detail

namespace dramaloc::subtitles {

std::vector<std::string> layout_lines(std::string_view text, std::string_view language, const SubtitleRules& rules) {
    const detail::UnitText units(detail::normalise_spacing(to_nfc(text)), language);
    if (units.size() == 0) return {};
    if (auto layout = detail::best_layout(units, 0, units.size(), rules))
        return detail::layout_text(units, *layout, units.size());
    // Nothing fits: fill lines greedily so the overflow is visible and check_events reports it.
    detail::UnitLayout greedy{{0}, 0};
    for (std::size_t u = 1; u < units.size(); ++u)
        if (units.chars(greedy.line_starts.back(), u + 1) > static_cast<std::size_t>(rules.max_chars_per_line))
            greedy.line_starts.push_back(u);
    return detail::layout_text(units, greedy, units.size());
}

}  // namespace dramaloc::subtitles
