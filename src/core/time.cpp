#include "core/time.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

namespace dramaloc {

std::string format_clock(TimeMs t, char ms_separator) {
    if (t < 0) t = 0;
    const auto h = t / 3'600'000;
    const auto m = (t / 60'000) % 60;
    const auto s = (t / 1000) % 60;
    const auto ms = t % 1000;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld%c%03lld", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(s), ms_separator,
                  static_cast<long long>(ms));
    return buf;
}

std::optional<TimeMs> parse_clock(std::string_view text) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i)
        if (i == text.size() || text[i] == ':') {
            fields.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    if (fields.empty() || fields.size() > 3) return std::nullopt;
    TimeMs total = 0;
    for (std::size_t f = 0; f < fields.size(); ++f) {
        const bool last = f + 1 == fields.size();
        std::string_view whole = fields[f], fraction;
        if (last)
            if (const auto dot = whole.find_first_of(".,"); dot != std::string_view::npos) {
                fraction = whole.substr(dot + 1);
                whole = whole.substr(0, dot);
                if (fraction.empty() || fraction.size() > 3) return std::nullopt;
            }
        if (whole.empty() || whole.size() > 9) return std::nullopt;
        TimeMs value = 0;
        for (const char c : whole) {
            if (c < '0' || c > '9') return std::nullopt;
            value = value * 10 + (c - '0');
        }
        if (f > 0 && value > 59) return std::nullopt;
        total = total * 60 + value;
        if (last) {
            TimeMs ms = 0;
            for (std::size_t k = 0; k < 3; ++k) {
                const char c = k < fraction.size() ? fraction[k] : '0';
                if (c < '0' || c > '9') return std::nullopt;
                ms = ms * 10 + (c - '0');
            }
            return total * 1000 + ms;
        }
    }
    return std::nullopt;
}

std::string utc_time(std::int64_t ms_since_epoch) {
    const std::time_t seconds = static_cast<std::time_t>(ms_since_epoch / 1000);
    std::tm tm{};
    ::gmtime_r(&seconds, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string utc_now() { return utc_time(static_cast<std::int64_t>(std::time(nullptr)) * 1000); }

std::string current_user() {
    for (const char* name : {"USER", "LOGNAME"})
        if (const char* v = std::getenv(name); v && *v) return v;
    return "unknown";
}

}  // namespace dramaloc
