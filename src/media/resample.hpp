#pragma once
// Sample-rate conversion of whole buffers: a windowed-sinc (Kaiser) interpolator evaluated
// offline, so it is zero-phase — a clip's first sample stays at its start, which is what
// placing clips on the timeline "sample-exactly" needs (a streaming resampler such as
// libswresample delays by half its filter). Deterministic; no state between calls.
// Streams being decoded or encoded are converted by libswresample instead (audio_decode,
// detail/encoders), where the delay is flushed with the stream.
#include "media/audio.hpp"

namespace dramaloc::media {

// `audio` at `sample_rate` (same channel count). Output length is the input duration at the
// new rate, rounded to the nearest frame. Returns a copy when the rate already matches.
// Throws InputError unless both rates and the channel count are positive.
AudioBuffer resample(const AudioBuffer& audio, int sample_rate);

}  // namespace dramaloc::media
