#pragma once
// Integer time. The data model never holds float seconds: milliseconds for
// script/subtitle times, sample counts for audio (docs/design.md §3).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dramaloc {

using TimeMs = std::int64_t;    // milliseconds from the start of an episode
using SampleCount = std::int64_t;

// Rounds to the nearest sample / millisecond (half away from zero), exactly.
constexpr SampleCount ms_to_samples(TimeMs ms, int sample_rate) {
    const std::int64_t num = ms * sample_rate;
    return num >= 0 ? (num + 500) / 1000 : -((-num + 500) / 1000);
}
constexpr TimeMs samples_to_ms(SampleCount samples, int sample_rate) {
    const std::int64_t num = samples * 1000;
    const std::int64_t half = sample_rate / 2;
    return num >= 0 ? (num + half) / sample_rate : -((-num + half) / sample_rate);
}

// Frame duration helpers for a rational frame rate num/den (e.g. 30000/1001).
struct FrameRate {
    int num = 30;
    int den = 1;
    double fps() const { return static_cast<double>(num) / den; }
    // Duration of `frames` frames in ms, rounded up so that N frames of gap is never shortened.
    TimeMs frames_to_ms_ceil(std::int64_t frames) const {
        return (frames * 1000 * den + num - 1) / num;
    }
};

// "HH:MM:SS.mmm" with the given separator before milliseconds ('.' or ',').
std::string format_clock(TimeMs t, char ms_separator = '.');

// A time as people write it: "72.5" (seconds), "01:12", "1:01:12.250" (comma or dot before the
// fraction). nullopt for anything else (negative, a minute or second field over 59, junk).
std::optional<TimeMs> parse_clock(std::string_view text);

// When and by whom, as the logs of people's edits and reviews record it: a time (ms since the
// epoch) as UTC ISO 8601 ("2026-12-02T21:20:28Z"), the current time so, and $USER (or
// $LOGNAME, else "unknown").
std::string utc_time(std::int64_t ms_since_epoch);
std::string utc_now();
// Wall-clock time, ms since the epoch: what the stores' *_ms columns hold.
std::int64_t wall_clock_ms();
std::string current_user();

}  // namespace dramaloc
