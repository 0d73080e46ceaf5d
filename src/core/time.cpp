#include "core/time.hpp"

#include <cstdio>

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

}  // namespace dramaloc
