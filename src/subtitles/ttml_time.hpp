#pragma once
// TTML time expressions (TTML1 §10.3.1), shared by the TTML reader and its tests.
#include <optional>
#include <string_view>

#include "core/time.hpp"

namespace dramaloc::subtitles::detail {

struct TtmlTiming {
    double frame_rate = 30.0;  // ttp:frameRate × ttp:frameRateMultiplier
    double sub_frame_rate = 1.0;
    double tick_rate = 1.0;    // ttp:tickRate (defaults to the frame rate when that is given)
};

// Clock times "HH:MM:SS", "HH:MM:SS.fff", "HH:MM:SS:FF[.sub]" and offset times
// "10.5s", "500ms", "2m", "1h", "25f", "90000t". nullopt when malformed or absurd.
std::optional<TimeMs> parse_ttml_time(std::string_view expr, const TtmlTiming& timing);

}  // namespace dramaloc::subtitles::detail
