#include "subtitles/ttml_time.hpp"

#include <cmath>
#include <optional>
#include <string>

namespace dramaloc::subtitles::detail {

namespace {

// Whole number of at least `min_digits` digits; nullopt otherwise.
std::optional<double> digits(std::string_view s, std::size_t min_digits) {
    if (s.size() < min_digits || s.size() > 12) return std::nullopt;
    double v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

// "123" or "123.456"
std::optional<double> decimal(std::string_view s) {
    const std::size_t dot = s.find('.');
    const auto whole = digits(s.substr(0, dot), 1);
    if (!whole) return std::nullopt;
    if (dot == std::string_view::npos) return whole;
    const std::string_view frac_text = s.substr(dot + 1);
    const auto frac = digits(frac_text, 1);
    if (!frac) return std::nullopt;
    return *whole + *frac / std::pow(10.0, static_cast<double>(frac_text.size()));
}

std::optional<TimeMs> to_ms(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e7) return std::nullopt;  // ~115 days
    return static_cast<TimeMs>(std::llround(seconds * 1000.0));
}

}  // namespace

std::optional<TimeMs> parse_ttml_time(std::string_view expr, const TtmlTiming& timing) {
    if (expr.empty()) return std::nullopt;
    if (expr.find(':') != std::string_view::npos) {
        // Clock time: hours:minutes:seconds(.fraction | :frames(.subframes))
        std::string_view rest = expr;
        std::string_view parts[4];
        std::size_t count = 0;
        while (count < 4) {
            const std::size_t colon = rest.find(':');
            parts[count++] = rest.substr(0, colon);
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
            if (count == 4) return std::nullopt;
        }
        if (count < 3) return std::nullopt;
        const auto hours = digits(parts[0], 2);
        const auto minutes = digits(parts[1], 2);
        if (!hours || !minutes || parts[1].size() != 2 || *minutes > 59) return std::nullopt;
        if (count == 3) {
            const auto seconds = decimal(parts[2]);
            if (!seconds || parts[2].substr(0, parts[2].find('.')).size() != 2 || *seconds >= 61) return std::nullopt;
            return to_ms(*hours * 3600 + *minutes * 60 + *seconds);
        }
        const auto seconds = digits(parts[2], 2);
        if (!seconds || parts[2].size() != 2 || *seconds > 60) return std::nullopt;
        const std::size_t dot = parts[3].find('.');
        const auto frames = digits(parts[3].substr(0, dot), 2);
        if (!frames) return std::nullopt;
        double sub = 0;
        if (dot != std::string_view::npos) {
            const auto s = digits(parts[3].substr(dot + 1), 1);
            if (!s) return std::nullopt;
            sub = *s / timing.sub_frame_rate;
        }
        return to_ms(*hours * 3600 + *minutes * 60 + *seconds + (*frames + sub) / timing.frame_rate);
    }
    // Offset time: number metric
    std::size_t unit_at = 0;
    while (unit_at < expr.size() && ((expr[unit_at] >= '0' && expr[unit_at] <= '9') || expr[unit_at] == '.'))
        ++unit_at;
    const auto value = decimal(expr.substr(0, unit_at));
    if (!value) return std::nullopt;
    const std::string_view unit = expr.substr(unit_at);
    if (unit == "h") return to_ms(*value * 3600);
    if (unit == "m") return to_ms(*value * 60);
    if (unit == "s") return to_ms(*value);
    if (unit == "ms") return to_ms(*value / 1000);
    if (unit == "f") return to_ms(*value / timing.frame_rate);
    if (unit == "t") return to_ms(*value / timing.tick_rate);
    return std::nullopt;
}

}  // namespace dramaloc::subtitles::detail
