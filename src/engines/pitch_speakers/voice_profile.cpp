#include "engines/pitch_speakers/voice_profile.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engines/spectral_vad/spectrum.hpp"

namespace dramaloc::engines {
namespace {

constexpr int kRate = 16000;
constexpr int kPitchRate = 8000;      // pitch is found on a decimated copy: 4× less work
constexpr int kHop16 = 160;           // 10 ms
constexpr int kSpectrumFrame = 400;   // 25 ms
constexpr int kPitchWindow = 240;     // 30 ms at 8 kHz
constexpr int kMinLag = kPitchRate / 450;
constexpr int kMaxLag = kPitchRate / 60;
constexpr double kYinThreshold = 0.15;
constexpr double kYinReject = 0.35;
constexpr double kGateBelowLoudDb = 12.0;  // frames this far under the loud ones are not analysed

// Low-pass (3.4 kHz, windowed sinc) and keep every second sample.
std::vector<float> decimate_to_8k(std::span<const float> x) {
    constexpr int kTaps = 31;
    constexpr int kHalf = kTaps / 2;
    constexpr double kCutoff = 3400.0 / kRate;  // cycles per sample
    static const std::vector<double> taps = [] {
        std::vector<double> t(kTaps);
        double sum = 0.0;
        for (int i = 0; i < kTaps; ++i) {
            const int n = i - kHalf;
            const double sinc = n == 0 ? 2.0 * kCutoff
                                       : std::sin(2.0 * std::numbers::pi * kCutoff * n) / (std::numbers::pi * n);
            const double hamming = 0.54 - 0.46 * std::cos(2.0 * std::numbers::pi * i / (kTaps - 1));
            t[static_cast<std::size_t>(i)] = sinc * hamming;
            sum += t[static_cast<std::size_t>(i)];
        }
        for (double& v : t) v /= sum;
        return t;
    }();
    const auto n = static_cast<std::ptrdiff_t>(x.size());
    std::vector<float> out;
    out.reserve(x.size() / 2 + 1);
    for (std::ptrdiff_t centre = 0; centre < n; centre += 2) {
        double acc = 0.0;
        for (std::ptrdiff_t k = 0; k < kTaps; ++k) {
            const std::ptrdiff_t at = centre + k - kHalf;
            if (at >= 0 && at < n) acc += taps[static_cast<std::size_t>(k)] * x[static_cast<std::size_t>(at)];
        }
        out.push_back(static_cast<float>(acc));
    }
    return out;
}

// YIN (de Cheveigné & Kawahara 2002): cumulative-mean-normalised difference, first dip
// under the threshold, parabolic refinement. 0 when the frame is not periodic enough.
double yin_f0(std::span<const float> x, std::vector<double>& d) {
    d.assign(kMaxLag + 2, 0.0);
    for (int lag = 1; lag <= kMaxLag + 1; ++lag) {
        double sum = 0.0;
        for (int j = 0; j < kPitchWindow; ++j) {
            const double diff = static_cast<double>(x[static_cast<std::size_t>(j)]) - x[static_cast<std::size_t>(j + lag)];
            sum += diff * diff;
        }
        d[static_cast<std::size_t>(lag)] = sum;
    }
    double running = 0.0;
    d[0] = 1.0;
    for (int lag = 1; lag <= kMaxLag + 1; ++lag) {
        running += d[static_cast<std::size_t>(lag)];
        d[static_cast<std::size_t>(lag)] = running > 0.0 ? d[static_cast<std::size_t>(lag)] * lag / running : 1.0;
    }
    int best = -1;
    for (int lag = kMinLag; lag <= kMaxLag; ++lag) {
        if (d[static_cast<std::size_t>(lag)] < kYinThreshold) {
            while (lag + 1 <= kMaxLag && d[static_cast<std::size_t>(lag + 1)] < d[static_cast<std::size_t>(lag)]) ++lag;
            best = lag;
            break;
        }
    }
    if (best < 0) {
        best = kMinLag;
        for (int lag = kMinLag; lag <= kMaxLag; ++lag) {
            if (d[static_cast<std::size_t>(lag)] < d[static_cast<std::size_t>(best)]) best = lag;
        }
        if (d[static_cast<std::size_t>(best)] > kYinReject) return 0.0;
    }
    const double left = d[static_cast<std::size_t>(best - 1)];
    const double mid = d[static_cast<std::size_t>(best)];
    const double right = d[static_cast<std::size_t>(best + 1)];
    const double curvature = left - 2.0 * mid + right;
    const double shift = curvature > 1e-12 ? std::clamp(0.5 * (left - right) / curvature, -0.5, 0.5) : 0.0;
    return kPitchRate / (best + shift);
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0.0;
    const auto k = static_cast<std::ptrdiff_t>(p * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + k, values.end());
    return values[static_cast<std::size_t>(k)];
}

// The summary figures from the per-frame ones.
void summarise(VoiceProfile& profile) {
    if (profile.f0_hz.empty()) return;
    const double count = static_cast<double>(profile.f0_hz.size());
    profile.median_f0_hz = percentile(profile.f0_hz, 0.5);
    profile.f0_spread_semitones = semitones_between(percentile(profile.f0_hz, 0.75), percentile(profile.f0_hz, 0.25));
    double centroid = 0.0, tilt = 0.0;
    for (std::size_t i = 0; i < profile.f0_hz.size(); ++i) centroid += profile.frame_centroid_hz[i], tilt += profile.frame_tilt_db[i];
    profile.centroid_hz = centroid / count;
    profile.tilt_db = tilt / count;
}

}  // namespace

double median_hz(std::vector<double> f0s) { return percentile(std::move(f0s), 0.5); }

double semitones_between(double a_hz, double b_hz) {
    if (a_hz <= 0.0 || b_hz <= 0.0) return 1e9;
    return std::abs(12.0 * std::log2(a_hz / b_hz));
}

VoiceProfile measure_voice(std::span<const float> mono_16k) {
    VoiceProfile profile;
    if (mono_16k.size() < static_cast<std::size_t>(kSpectrumFrame)) return profile;
    const std::size_t frames = (mono_16k.size() - kSpectrumFrame) / kHop16 + 1;

    std::vector<double> level_db(frames);
    for (std::size_t i = 0; i < frames; ++i) {
        double energy = 0.0;
        for (int j = 0; j < kSpectrumFrame; ++j) {
            const double s = mono_16k[i * kHop16 + static_cast<std::size_t>(j)];
            energy += s * s;
        }
        level_db[i] = dsp::to_db(energy / kSpectrumFrame);
    }
    const double gate = std::max(-50.0, percentile(level_db, 0.9) - kGateBelowLoudDb);

    const std::vector<float> low_rate = decimate_to_8k(mono_16k);
    dsp::PowerSpectrum spectrum(kSpectrumFrame, 512);
    const int centroid_lo = spectrum.bin_of(100.0, kRate);
    const int centroid_hi = spectrum.bin_of(5000.0, kRate);
    const int low_lo = centroid_lo;
    const int low_hi = spectrum.bin_of(1000.0, kRate);
    const int high_hi = spectrum.bin_of(4000.0, kRate);
    std::vector<double> scratch;
    for (std::size_t i = 0; i < frames; ++i) {
        if (level_db[i] < gate) continue;
        const std::size_t at = i * kHop16 / 2;
        if (at + kPitchWindow + kMaxLag + 2 > low_rate.size()) break;
        const double f0 = yin_f0(std::span<const float>(low_rate).subspan(at), scratch);
        if (f0 <= 0.0) continue;
        profile.f0_hz.push_back(f0);
        profile.frame_ms.push_back(static_cast<long>(i) * 10);
        const std::span<const double> power = spectrum.compute(mono_16k.subspan(i * kHop16, kSpectrumFrame));
        double weighted = 0.0;
        double total = 0.0;
        for (int k = centroid_lo; k <= centroid_hi; ++k) {
            weighted += power[static_cast<std::size_t>(k)] * k;
            total += power[static_cast<std::size_t>(k)];
        }
        profile.frame_centroid_hz.push_back(total > 0.0 ? weighted / total * kRate / spectrum.fft_size() : 0.0);
        profile.frame_tilt_db.push_back(dsp::to_db(dsp::band_power(power, low_lo, low_hi)) -
                                        dsp::to_db(dsp::band_power(power, low_hi + 1, high_hi)));
    }
    summarise(profile);
    return profile;
}

VoiceProfile part_of(const VoiceProfile& whole, long from_ms, long to_ms) {
    VoiceProfile part;
    for (std::size_t i = 0; i < whole.f0_hz.size(); ++i) {
        if (whole.frame_ms[i] < from_ms || whole.frame_ms[i] >= to_ms) continue;
        part.f0_hz.push_back(whole.f0_hz[i]);
        part.frame_ms.push_back(whole.frame_ms[i]);
        part.frame_centroid_hz.push_back(whole.frame_centroid_hz[i]);
        part.frame_tilt_db.push_back(whole.frame_tilt_db[i]);
    }
    summarise(part);
    return part;
}

double voice_distance(const VoiceProfile& a, const VoiceProfile& b) {
    return semitones_between(a.median_f0_hz, b.median_f0_hz) / 3.0 + std::abs(a.centroid_hz - b.centroid_hz) / 1500.0 +
           std::abs(a.tilt_db - b.tilt_db) / 20.0;
}

}  // namespace dramaloc::engines
