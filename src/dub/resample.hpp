#pragma once
// Sample-rate conversion for dub clips: a windowed-sinc (Kaiser) interpolator evaluated
// offline, so it is zero-phase — a clip's first sample stays at its start, which is what
// placing clips on the timeline "sample-exactly" needs (a streaming resampler delays by
// half its filter). Deterministic; no state between calls.
#include "media/audio.hpp"

namespace dramaloc::dub {

// `audio` at `sample_rate` (same channel count). Output length is the input duration at the
// new rate, rounded to the nearest frame. Returns a copy when the rate already matches.
media::AudioBuffer resample(const media::AudioBuffer& audio, int sample_rate);

}  // namespace dramaloc::dub
