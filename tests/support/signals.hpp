#pragma once
// Generated signals and measurements shared by the audio tests (dub, media, engines).
// Header-only; the tests that include it link the media library themselves.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <vector>

#include "media/audio.hpp"

namespace dramaloc::test {

// `ms` of mono audio at `rate` whose sample i is sample_at(i) (a double, stored as float).
template <typename SampleAt>
media::AudioBuffer mono_signal(TimeMs ms, int rate, SampleAt sample_at) {
    media::AudioBuffer a;
    a.sample_rate = rate;
    a.channels = 1;
    const auto n = static_cast<std::size_t>(ms_to_samples(ms, rate));
    a.samples.resize(n);
    for (std::size_t i = 0; i < n; ++i) a.samples[i] = static_cast<float>(sample_at(i));
    return a;
}

// A voiced-speech stand-in: F0 plus 7 harmonics falling 6 dB/octave, gently amplitude-modulated
// like syllables (4 Hz, never silent), peak about `amplitude`.
inline media::AudioBuffer voiced_tone(double f0, TimeMs ms, int rate, float amplitude = 0.5f) {
    return mono_signal(ms, rate, [&](std::size_t i) {
        const double t = static_cast<double>(i) / rate;
        double v = 0;
        for (int h = 1; h <= 8; ++h) v += std::sin(2 * std::numbers::pi * f0 * h * t) / h;
        const double envelope = 0.75 + 0.25 * std::sin(2 * std::numbers::pi * 4 * t);
        return amplitude * 0.55 * envelope * v;
    });
}

// Sine starting at its peak (cosine), so its first sample is its onset.
inline media::AudioBuffer cosine(double hz, TimeMs ms, int rate, float amplitude) {
    return mono_signal(ms, rate, [&](std::size_t i) {
        return amplitude * std::cos(2 * std::numbers::pi * hz * static_cast<double>(i) / rate);
    });
}

// RMS of channel `channel` over frames [first, last).
inline double rms_frames(const media::AudioBuffer& a, SampleCount first, SampleCount last, int channel = 0) {
    double sum = 0;
    for (SampleCount i = first; i < last; ++i) {
        const double s = a.samples[static_cast<std::size_t>(i * a.channels + channel)];
        sum += s * s;
    }
    return last > first ? std::sqrt(sum / static_cast<double>(last - first)) : 0.0;
}

inline double rms_ms(const media::AudioBuffer& a, TimeMs from, TimeMs to, int channel = 0) {
    return rms_frames(a, ms_to_samples(from, a.sample_rate), ms_to_samples(to, a.sample_rate), channel);
}

inline double db(double ratio) { return 20.0 * std::log10(ratio); }

// First frame at or after `from` whose |sample| on `channel` reaches `threshold`; -1 if none.
inline SampleCount onset(const media::AudioBuffer& a, SampleCount from, float threshold, int channel = 0) {
    for (SampleCount i = from; i < a.frames(); ++i) {
        if (std::abs(a.samples[static_cast<std::size_t>(i * a.channels + channel)]) >= threshold) return i;
    }
    return -1;
}

// Largest |x[n] - x[n-1]| on `channel`.
inline double max_step(const media::AudioBuffer& a, int channel = 0) {
    double best = 0;
    for (SampleCount i = 1; i < a.frames(); ++i) {
        const auto k = static_cast<std::size_t>(i * a.channels + channel);
        best = std::max(best, static_cast<double>(std::abs(a.samples[k] - a.samples[k - static_cast<std::size_t>(a.channels)])));
    }
    return best;
}

// Median F0 (Hz) by normalised autocorrelation over 40 ms frames with parabolic lag interpolation.
inline double median_f0(const media::AudioBuffer& a, double min_hz = 60, double max_hz = 500) {
    const int rate = a.sample_rate;
    const int frame = rate / 25;
    const int min_lag = static_cast<int>(rate / max_hz);
    const int max_lag = static_cast<int>(rate / min_hz);
    const std::vector<float>& x = a.samples;
    std::vector<double> f0s;
    for (int start = 0; start + frame + max_lag + 1 < static_cast<int>(x.size()); start += rate / 50) {
        std::vector<double> r(static_cast<std::size_t>(max_lag + 2), 0.0);
        double e0 = 0;
        for (int i = 0; i < frame; ++i) e0 += x[start + i] * x[start + i];
        if (e0 < 1e-6) continue;
        for (int lag = min_lag - 1; lag <= max_lag + 1; ++lag) {
            double num = 0, e1 = 0;
            for (int i = 0; i < frame; ++i) {
                num += x[start + i] * x[start + i + lag];
                e1 += x[start + i + lag] * x[start + i + lag];
            }
            r[static_cast<std::size_t>(lag)] = num / std::sqrt(e0 * e1 + 1e-12);
        }
        int best = min_lag;
        for (int lag = min_lag; lag <= max_lag; ++lag) {
            if (r[static_cast<std::size_t>(lag)] > r[static_cast<std::size_t>(best)]) best = lag;
        }
        const double y0 = r[static_cast<std::size_t>(best - 1)], y1 = r[static_cast<std::size_t>(best)],
                     y2 = r[static_cast<std::size_t>(best + 1)];
        const double denom = y0 - 2 * y1 + y2;
        const double shift = denom != 0 ? 0.5 * (y0 - y2) / denom : 0.0;
        if (y1 > 0.5) f0s.push_back(rate / (best + shift));
    }
    if (f0s.empty()) return 0;
    std::nth_element(f0s.begin(), f0s.begin() + static_cast<std::ptrdiff_t>(f0s.size() / 2), f0s.end());
    return f0s[f0s.size() / 2];
}

}  // namespace dramaloc::test
