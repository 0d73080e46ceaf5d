#include "subtitles/segment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "subtitles/text.hpp"
#include "subtitles/units.hpp"

namespace dramaloc::subtitles {

namespace {

using detail::UnitText;

// Weights of the event-splitting cost (break preferences are in units.hpp).
constexpr double kLayoutWeight = 0.1;          // a nicer layout matters less than where the event ends
constexpr double kBalanceWeight = 0.1;         // per character away from an even split
constexpr double kReadingSpeedWeight = 10.0;   // per character/second above the limit

struct TimedSpan {
    std::size_t begin = 0;  // bytes in the line's text
    std::size_t end = 0;
    TimeMs start = 0;
    TimeMs stop = 0;
};

// The text of a line and a clock for every unit of it.
struct TimedLine {
    std::string text;
    std::vector<TimedSpan> words;  // empty: timing proportional to characters
    TimeMs start = 0;
    TimeMs end = 0;
};

bool has_word_times(const Line& line) {
    if (line.words.empty()) return false;
    return std::any_of(line.words.begin(), line.words.end(), [](const Word& w) { return w.end > w.start; });
}

TimedLine timed_line(const Line& line, std::string_view language) {
    TimedLine out;
    out.start = line.start;
    out.end = line.end;
    if (!has_word_times(line)) {
        out.text = detail::normalise_spacing(to_nfc(line.text));
        return out;
    }
    const std::string separator = language_uses_spaces(language) ? " " : "";
    for (const auto& w : line.words) {
        const std::string word = detail::normalise_spacing(to_nfc(w.text));
        if (word.empty()) continue;
        if (!out.text.empty()) out.text += separator;
        TimedSpan span{out.text.size(), out.text.size() + word.size(), w.start, std::max(w.start, w.end)};
        out.text += word;
        out.words.push_back(span);
    }
    if (!out.words.empty() && out.end <= out.start) {
        out.start = out.words.front().start;
        out.end = out.words.back().stop;
    }
    return out;
}

// When the unit starting at `unit` begins to be spoken.
TimeMs unit_start_time(const TimedLine& line, const UnitText& units, std::size_t unit) {
    if (unit == 0) return line.start;
    if (unit >= units.size()) return line.end;
    if (line.words.empty()) {
        const double share = static_cast<double>(units.chars_before(unit)) / std::max<std::size_t>(1, units.total_chars());
        return line.start + static_cast<TimeMs>(std::llround(share * static_cast<double>(line.end - line.start)));
    }
    const std::size_t offset = units.byte_offset(unit);
    for (const auto& w : line.words) {
        if (offset >= w.end) continue;
        if (offset <= w.begin) return w.start;
        // Inside a word (a Chinese word of several characters): interpolate.
        const std::string_view word = std::string_view(line.text).substr(w.begin, w.end - w.begin);
        const double share = static_cast<double>(grapheme_count(word.substr(0, offset - w.begin))) /
                             std::max<std::size_t>(1, grapheme_count(word));
        return w.start + static_cast<TimeMs>(std::llround(share * static_cast<double>(w.stop - w.start)));
    }
    return line.end;
}

struct Plan {
    int events = std::numeric_limits<int>::max();
    double cost = std::numeric_limits<double>::infinity();
    std::size_t from = 0;
    detail::UnitLayout layout;
};

bool better(int events, double cost, const Plan& than) {
    return events < than.events || (events == than.events && cost < than.cost);
}

std::vector<SubtitleEvent> segment_line(const Line& line, std::string_view language, const SubtitleRules& rules) {
    const TimedLine timed = timed_line(line, language);
    const UnitText units(timed.text, language);
    const std::size_t n = units.size();
    if (n == 0) return {};
    std::vector<TimeMs> starts(n + 1);
    for (std::size_t u = 0; u <= n; ++u) starts[u] = unit_start_time(timed, units, u);

    const std::size_t capacity = static_cast<std::size_t>(std::max(1, rules.max_lines)) *
                                 static_cast<std::size_t>(std::max(1, rules.max_chars_per_line));
    const double ideal_events = std::max(
        {1.0, std::ceil(static_cast<double>(units.chars(0, n)) / static_cast<double>(capacity)),
         std::ceil(static_cast<double>(timed.end - timed.start) / static_cast<double>(std::max<TimeMs>(1, rules.max_duration)))});
    const double ideal_chars = static_cast<double>(units.chars(0, n)) / ideal_events;

    // plan[e]: fewest events, then lowest cost, covering units [0, e).
    std::vector<Plan> plan(n + 1);
    plan[0].events = 0;
    plan[0].cost = 0;
    for (std::size_t e = 1; e <= n; ++e) {
        for (std::size_t s = e; s-- > 0;) {
            const std::size_t chars = units.chars(s, e);
            const bool single_unit = e - s == 1;
            if (chars > capacity && !single_unit) break;
            if (plan[s].events == std::numeric_limits<int>::max()) continue;
            const TimeMs duration = starts[e] - starts[s];
            if (duration > rules.max_duration && !single_unit) continue;
            auto layout = detail::best_layout(units, s, e, rules);
            if (!layout) {
                if (!single_unit) continue;
                layout = detail::UnitLayout{{s}, 0};  // unbreakable: shown as is, check_events reports it
            }
            double cost = layout->cost * kLayoutWeight + kBalanceWeight * std::abs(static_cast<double>(chars) - ideal_chars);
            if (s > 0) cost += units.cost_before(s);
            if (duration > 0) {
                const double cps = static_cast<double>(chars) * 1000.0 / static_cast<double>(duration);
                cost += kReadingSpeedWeight * std::max(0.0, cps - rules.max_chars_per_second);
            }
            const int events = plan[s].events + 1;
            cost += plan[s].cost;
            if (better(events, cost, plan[e])) plan[e] = Plan{events, cost, s, std::move(*layout)};
        }
    }

    std::vector<SubtitleEvent> out;
    for (std::size_t e = n; e > 0; e = plan[e].from) {
        const std::size_t s = plan[e].from;
        SubtitleEvent event;
        event.id = line.id;
        event.start = starts[s];
        event.end = starts[e];
        event.speaker = line.speaker;
        event.lines = detail::layout_text(units, plan[e].layout, e);
        out.push_back(std::move(event));
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::size_t event_chars(const SubtitleEvent& event) {
    std::size_t n = 0;
    for (const auto& l : event.lines) n += grapheme_count(l);
    return n;
}

}  // namespace

std::vector<SubtitleEvent> segment_script(const Script& script, const SubtitleRules& rules, FrameRate frame_rate) {
    std::vector<SubtitleEvent> events;
    for (const auto& line : script.lines) {
        auto part = segment_line(line, script.language, rules);
        events.insert(events.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const SubtitleEvent& a, const SubtitleEvent& b) { return a.start < b.start; });

    const TimeMs gap = frame_rate.num > 0 && frame_rate.den > 0
                           ? frame_rate.frames_to_ms_ceil(std::max(0, rules.min_gap_frames))
                           : 0;
    // Minimum gap: trim the earlier event.
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
        auto& current = events[i];
        const TimeMs latest_end = events[i + 1].start - gap;
        if (current.end > latest_end) current.end = std::max(current.start + 1, latest_end);
    }
    // Too short to read: extend into the silence that follows.
    for (std::size_t i = 0; i < events.size(); ++i) {
        auto& current = events[i];
        const double reading_ms =
            std::ceil(static_cast<double>(event_chars(current)) * 1000.0 / std::max(0.1, rules.max_chars_per_second));
        const TimeMs wanted =
            std::min(rules.max_duration, std::max(rules.min_duration, static_cast<TimeMs>(reading_ms)));
        if (current.duration() >= wanted) continue;
        TimeMs new_end = current.start + wanted;
        if (i + 1 < events.size()) new_end = std::min(new_end, events[i + 1].start - gap);
        current.end = std::max(current.end, new_end);
    }
    for (std::size_t i = 0; i < events.size(); ++i) events[i].id = static_cast<int>(i) + 1;
    return events;
}

}  // namespace dramaloc::subtitles
