#pragma once
// Sample-rate and channel conversion, all of it through libswresample: whole buffers
// (resample) and streams (StreamResampler). libswresample compensates its filter's delay,
// so the conversion is zero-phase — a clip's first sample stays at its start and an impulse
// at t lands at t, which placing clips on the timeline sample-exactly needs — and, flushed,
// gives exactly the input's duration at the new rate. Deterministic.
#include <memory>
#include <span>
#include <vector>

#include "media/audio.hpp"

namespace dramaloc::media {

// A stream converted a block at a time (bounded memory for episode-long audio). Downmixing
// averages the channels, so levels never exceed full scale. One thread at a time.
class StreamResampler {
public:
    // Throws InputError unless the rates and channel counts (1..8) are positive.
    StreamResampler(int in_rate, int in_channels, int out_rate, int out_channels);
    ~StreamResampler();
    StreamResampler(StreamResampler&&) noexcept;
    StreamResampler& operator=(StreamResampler&&) noexcept;

    // Converts interleaved input frames; returns the output ready so far (valid until the
    // next call). The rest of the output comes with later calls and flush().
    std::span<const float> push(std::span<const float> interleaved);
    // The last of the output. No push() afterwards.
    std::span<const float> flush();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// `audio` at `sample_rate` (same channel count). Output length is the input duration at the
// new rate, rounded to the nearest frame. Returns a copy when the rate already matches.
// Throws InputError unless both rates and the channel count are positive.
AudioBuffer resample(const AudioBuffer& audio, int sample_rate);

}  // namespace dramaloc::media
