#include "dub/fit.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "dub/stretch.hpp"

namespace dramaloc::dub {
namespace {

constexpr TimeMs kTrimMarginMs = 5;

media::AudioBuffer frames_of(const media::AudioBuffer& clip, FrameSpan span) {
    media::AudioBuffer out;
    out.sample_rate = clip.sample_rate;
    out.channels = clip.channels;
    const auto c = static_cast<std::size_t>(clip.channels);
    out.samples.assign(clip.samples.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(span.first) * c),
                       clip.samples.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(span.last) * c));
    return out;
}

// Frames needed to play `frames` at `speed`, rounded up so the speed bound is never exceeded.
SampleCount frames_at_speed(SampleCount frames, double speed) {
    return static_cast<SampleCount>(std::ceil(static_cast<double>(frames) / speed - 1e-9));
}

}  // namespace

FrameSpan speech_span(const media::AudioBuffer& clip, float threshold) {
    const SampleCount frames = clip.frames();
    const auto channels = static_cast<std::size_t>(std::max(1, clip.channels));
    const auto loud = [&](SampleCount i) {
        for (std::size_t c = 0; c < channels; ++c) {
            if (std::abs(clip.samples[static_cast<std::size_t>(i) * channels + c]) >= threshold) return true;
        }
        return false;
    };
    SampleCount first = 0;
    while (first < frames && !loud(first)) ++first;
    if (first == frames) return {0, 0};
    SampleCount last = frames;
    while (last > first && !loud(last - 1)) --last;
    const SampleCount margin = ms_to_samples(kTrimMarginMs, clip.sample_rate);
    return {std::max<SampleCount>(0, first - margin), std::min(frames, last + margin)};
}

FitResult fit_clip_to_slot(const media::AudioBuffer& clip, TimeMs slot_ms, TimeMs available_after_ms,
                           const FitBounds& bounds) {
    if (slot_ms < 0 || available_after_ms < 0) {
        throw InputError("cannot fit a clip into a slot of " + std::to_string(slot_ms) + " ms with " +
                         std::to_string(available_after_ms) + " ms after it; times must not be negative");
    }
    if (!(bounds.min_speed > 0.0) || !(bounds.max_speed >= 1.0) || bounds.min_speed > 1.0) {
        throw InputError("fit speed bounds must satisfy 0 < min_speed <= 1 <= max_speed (got " +
                         std::to_string(bounds.min_speed) + ".." + std::to_string(bounds.max_speed) + ")");
    }
    const int rate = clip.sample_rate;
    const media::AudioBuffer speech = frames_of(clip, speech_span(clip));
    const SampleCount length = speech.frames();
    const SampleCount slot = ms_to_samples(slot_ms, rate);
    const SampleCount after = ms_to_samples(available_after_ms, rate);

    FitResult result;
    const auto render = [&](SampleCount frames) {
        result.audio = stretch_to_frames(speech, frames);
        result.speed = frames > 0 ? static_cast<double>(length) / static_cast<double>(frames) : 1.0;
    };
    if (length == 0) {  // nothing audible: an empty clip fits anywhere
        result.audio = speech;
        return result;
    }
    if (length <= slot) {
        const SampleCount filled = std::min(slot, frames_at_speed(length, bounds.min_speed));
        render(bounds.fill_slot ? filled : length);
        return result;
    }
    if (frames_at_speed(length, bounds.max_speed) <= slot) {
        render(slot);
        return result;
    }
    // Even at max_speed it runs past its slot: take what it needs from the silence after it.
    const SampleCount fastest = frames_at_speed(length, bounds.max_speed);
    render(fastest);
    const SampleCount borrowed = std::min(fastest - slot, after);
    result.borrowed_ms = samples_to_ms(borrowed, rate);
    const SampleCount overflow = fastest - slot - borrowed;
    result.fits = overflow == 0;
    result.overflow_ms = samples_to_ms(overflow, rate);
    if (!result.fits && result.overflow_ms == 0) result.overflow_ms = 1;  // never report "0 ms" for a miss
    return result;
}

}  // namespace dramaloc::dub
