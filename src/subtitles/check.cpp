#include "subtitles/check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "subtitles/text.hpp"

namespace dramaloc::subtitles {

const char* to_string(Severity severity) noexcept { return severity == Severity::Error ? "error" : "warning"; }

namespace {

std::string number(double v) {
    char buf[32];
    if (std::abs(v - std::round(v)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string plural(double v, const char* one, const char* many) { return number(v) + " " + (v == 1 ? one : many); }

struct Reporter {
    std::vector<Violation>& out;
    void operator()(const SubtitleEvent& e, const char* rule, double value, double limit, Severity severity,
                    const std::string& what) const {
        out.push_back(Violation{e.id, rule, value, limit, severity, "event " + std::to_string(e.id) + ": " + what});
    }
};

}  // namespace

std::vector<Violation> check_events(const std::vector<SubtitleEvent>& events, const SubtitleRules& rules,
                                    FrameRate frame_rate) {
    std::vector<Violation> out;
    const Reporter report{out};
    const double fps = frame_rate.num > 0 && frame_rate.den > 0 ? frame_rate.fps() : 30.0;
    const TimeMs min_gap_ms = frame_rate.num > 0 && frame_rate.den > 0
                                  ? frame_rate.frames_to_ms_ceil(std::max(0, rules.min_gap_frames))
                                  : 0;
    const SubtitleEvent* previous = nullptr;
    const SubtitleEvent* latest_ending = nullptr;  // among earlier events, the one that ends last
    for (const auto& e : events) {
        std::size_t text_lines = 0, chars = 0, longest = 0, longest_index = 0;
        for (std::size_t i = 0; i < e.lines.size(); ++i) {
            const std::size_t c = grapheme_count(e.lines[i]);
            if (!trim(e.lines[i]).empty()) ++text_lines;
            chars += c;
            if (c > longest) {
                longest = c;
                longest_index = i;
            }
        }
        const TimeMs duration = e.end - e.start;

        if (text_lines == 0) report(e, "empty", 0, 1, Severity::Error, "has no text");
        if (duration <= 0)
            report(e, "order", static_cast<double>(duration), 1, Severity::Error,
                   "ends at " + format_clock(e.end) + ", not after its start " + format_clock(e.start));
        if (previous && e.start < previous->start)
            report(e, "order", static_cast<double>(e.start), static_cast<double>(previous->start), Severity::Error,
                   "starts at " + format_clock(e.start) + ", before the previous event (" + format_clock(previous->start) +
                       "); sort the events by start time");
        if (latest_ending && e.start < latest_ending->end && latest_ending->start < e.end && duration > 0) {
            const double overlap = static_cast<double>(latest_ending->end - e.start);
            report(e, "overlap", overlap, 0, Severity::Error,
                   "overlaps event " + std::to_string(latest_ending->id) + " by " + number(overlap) + " ms");
        } else if (previous && e.start >= previous->end && previous->end > previous->start &&
                   e.start - previous->end < min_gap_ms) {
            const TimeMs gap_ms = e.start - previous->end;
            const double gap_frames = static_cast<double>(gap_ms) * fps / 1000.0;
            report(e, "min_gap", std::floor(gap_frames * 100) / 100, rules.min_gap_frames, Severity::Error,
                   "starts " + number(static_cast<double>(gap_ms)) + " ms (" + number(gap_frames) +
                       " frames) after event " + std::to_string(previous->id) + " ends; at least " +
                       plural(rules.min_gap_frames, "frame", "frames") + " (" + std::to_string(min_gap_ms) + " ms)");
        }
        if (static_cast<int>(e.lines.size()) > rules.max_lines)
            report(e, "max_lines", static_cast<double>(e.lines.size()), rules.max_lines, Severity::Error,
                   "has " + plural(static_cast<double>(e.lines.size()), "line", "lines") + "; at most " +
                       std::to_string(rules.max_lines));
        if (longest > static_cast<std::size_t>(rules.max_chars_per_line))
            report(e, "max_chars_per_line", static_cast<double>(longest), rules.max_chars_per_line, Severity::Error,
                   "line " + std::to_string(longest_index + 1) + " has " + std::to_string(longest) +
                       " characters; at most " + std::to_string(rules.max_chars_per_line));
        if (duration > 0 && duration < rules.min_duration)
            report(e, "min_duration", static_cast<double>(duration), static_cast<double>(rules.min_duration),
                   Severity::Warning,
                   "is on screen for " + std::to_string(duration) + " ms; at least " +
                       std::to_string(rules.min_duration) + " ms");
        if (duration > rules.max_duration)
            report(e, "max_duration", static_cast<double>(duration), static_cast<double>(rules.max_duration),
                   Severity::Warning,
                   "is on screen for " + std::to_string(duration) + " ms; at most " +
                       std::to_string(rules.max_duration) + " ms");
        if (duration > 0 && chars > 0) {
            const double cps = static_cast<double>(chars) * 1000.0 / static_cast<double>(duration);
            if (cps > rules.max_chars_per_second + 1e-9)
                report(e, "max_chars_per_second", std::round(cps * 10) / 10, rules.max_chars_per_second,
                       Severity::Warning,
                       "needs " + number(cps) + " characters per second (" + std::to_string(chars) +
                           " characters in " + std::to_string(duration) + " ms); at most " +
                           number(rules.max_chars_per_second));
        }
        previous = &e;
        if (!latest_ending || e.end > latest_ending->end) latest_ending = &e;
    }
    return out;
}

nlohmann::json to_json(const std::vector<Violation>& violations) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : violations) {
        out.push_back({{"event_id", v.event_id},
                       {"rule", v.rule},
                       {"severity", to_string(v.severity)},
                       {"value", v.value},
                       {"limit", v.limit},
                       {"message", v.message}});
    }
    return out;
}

}  // namespace dramaloc::subtitles
