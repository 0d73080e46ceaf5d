#pragma once
// Uncompressed audio in memory: interleaved float samples in [-1, 1].
// Time is integer (samples or milliseconds, core/time.hpp), never float seconds.
#include <vector>

#include "core/time.hpp"

namespace dramaloc::media {

struct AudioBuffer {
    int sample_rate = 48000;
    int channels = 1;
    std::vector<float> samples;  // interleaved: frame i, channel c at [i * channels + c]

    // Number of sample frames (samples per channel).
    SampleCount frames() const {
        return channels > 0 ? static_cast<SampleCount>(samples.size()) / channels : 0;
    }
    // Duration rounded to the nearest millisecond.
    TimeMs duration_ms() const { return sample_rate > 0 ? samples_to_ms(frames(), sample_rate) : 0; }
    bool empty() const { return samples.empty(); }
};

// `ms` of silence in the given format.
AudioBuffer make_silence(int sample_rate, int channels, TimeMs ms);

// A sine tone (for tests, samples and calibration); `amplitude` is the peak in [0, 1].
AudioBuffer make_sine(double frequency_hz, TimeMs ms, int sample_rate, int channels, float amplitude = 0.5f);

// Average of the channels; returns a copy when already mono.
AudioBuffer mix_to_mono(const AudioBuffer& audio);

// Appends `tail` to `audio`. Throws InputError when the formats differ (no hidden resampling).
void append(AudioBuffer& audio, const AudioBuffer& tail);

// Appends `ms` of silence to `audio`.
void append_silence(AudioBuffer& audio, TimeMs ms);

// The part [start_ms, end_ms) of `audio`, clamped to its length (empty when outside).
AudioBuffer slice_ms(const AudioBuffer& audio, TimeMs start_ms, TimeMs end_ms);

// Root mean square over all samples (0 for an empty buffer).
double rms(const AudioBuffer& audio);

}  // namespace dramaloc::media
