#include "media/audio.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/error.hpp"

namespace dramaloc::media {

AudioBuffer make_silence(int sample_rate, int channels, TimeMs ms) {
    AudioBuffer out;
    out.sample_rate = sample_rate;
    out.channels = channels;
    out.samples.assign(static_cast<std::size_t>(ms_to_samples(ms, sample_rate) * channels), 0.0f);
    return out;
}

AudioBuffer make_sine(double frequency_hz, TimeMs ms, int sample_rate, int channels, float amplitude) {
    AudioBuffer out = make_silence(sample_rate, channels, ms);
    const SampleCount frames = out.frames();
    // Phase from the integer sample index, so long tones do not drift.
    const double step = 2.0 * std::numbers::pi * frequency_hz / sample_rate;
    for (SampleCount i = 0; i < frames; ++i) {
        const float v = amplitude * static_cast<float>(std::sin(step * static_cast<double>(i)));
        for (int c = 0; c < channels; ++c) out.samples[static_cast<std::size_t>(i * channels + c)] = v;
    }
    return out;
}

AudioBuffer mix_to_mono(const AudioBuffer& audio) {
    if (audio.channels == 1) return audio;
    AudioBuffer out;
    out.sample_rate = audio.sample_rate;
    out.channels = 1;
    const SampleCount frames = audio.frames();
    out.samples.resize(static_cast<std::size_t>(frames));
    const float scale = 1.0f / static_cast<float>(audio.channels);
    for (SampleCount i = 0; i < frames; ++i) {
        float sum = 0.0f;
        for (int c = 0; c < audio.channels; ++c) sum += audio.samples[static_cast<std::size_t>(i * audio.channels + c)];
        out.samples[static_cast<std::size_t>(i)] = sum * scale;
    }
    return out;
}

void append(AudioBuffer& audio, const AudioBuffer& tail) {
    if (tail.empty()) return;
    if (audio.empty() && audio.sample_rate == tail.sample_rate && audio.channels == tail.channels) {
        audio.samples = tail.samples;
        return;
    }
    if (audio.sample_rate != tail.sample_rate || audio.channels != tail.channels)
        throw InputError("cannot append audio of " + std::to_string(tail.sample_rate) + " Hz/" +
                         std::to_string(tail.channels) + " ch to audio of " + std::to_string(audio.sample_rate) +
                         " Hz/" + std::to_string(audio.channels) + " ch; resample it first");
    audio.samples.insert(audio.samples.end(), tail.samples.begin(), tail.samples.end());
}

void append_silence(AudioBuffer& audio, TimeMs ms) {
    if (ms <= 0) return;
    audio.samples.resize(audio.samples.size() +
                         static_cast<std::size_t>(ms_to_samples(ms, audio.sample_rate) * audio.channels), 0.0f);
}

AudioBuffer slice_ms(const AudioBuffer& audio, TimeMs start_ms, TimeMs end_ms) {
    AudioBuffer out;
    out.sample_rate = audio.sample_rate;
    out.channels = audio.channels;
    const SampleCount frames = audio.frames();
    const SampleCount begin = std::clamp<SampleCount>(ms_to_samples(start_ms, audio.sample_rate), 0, frames);
    const SampleCount end = std::clamp<SampleCount>(ms_to_samples(end_ms, audio.sample_rate), begin, frames);
    out.samples.assign(audio.samples.begin() + begin * audio.channels, audio.samples.begin() + end * audio.channels);
    return out;
}

double rms(const AudioBuffer& audio) {
    if (audio.samples.empty()) return 0.0;
    double sum = 0.0;
    for (const float s : audio.samples) sum += static_cast<double>(s) * s;
    return std::sqrt(sum / static_cast<double>(audio.samples.size()));
}

}  // namespace dramaloc::media
