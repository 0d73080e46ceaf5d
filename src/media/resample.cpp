#include "media/resample.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "core/error.hpp"

namespace dramaloc::media {
namespace {

constexpr int kZeroCrossings = 16;  // half the filter length, in zero crossings of its sinc
constexpr int kTableSteps = 512;    // table points per zero crossing (linear interpolation between)
constexpr double kKaiserBeta = 8.6; // ~ -85 dB stop band

double bessel_i0(double x) {
    double sum = 1.0;
    double term = 1.0;
    for (int k = 1; k < 40; ++k) {
        term *= (x / (2.0 * k)) * (x / (2.0 * k));
        sum += term;
        if (term < sum * 1e-17) break;
    }
    return sum;
}

// sinc(u) · kaiser(u / kZeroCrossings) for u in zero crossings, u ∈ [0, kZeroCrossings].
const std::vector<double>& kernel_table() {
    static const std::vector<double> table = [] {
        std::vector<double> t(static_cast<std::size_t>(kZeroCrossings * kTableSteps + 2), 0.0);
        const double norm = bessel_i0(kKaiserBeta);
        for (std::size_t i = 0; i + 1 < t.size(); ++i) {
            const double u = static_cast<double>(i) / kTableSteps;
            const double r = u / kZeroCrossings;
            const double window = r >= 1.0 ? 0.0 : bessel_i0(kKaiserBeta * std::sqrt(1.0 - r * r)) / norm;
            const double sinc = u == 0.0 ? 1.0 : std::sin(std::numbers::pi * u) / (std::numbers::pi * u);
            t[i] = sinc * window;
        }
        return t;
    }();
    return table;
}

double kernel(double u) {
    u = std::abs(u);
    if (u >= kZeroCrossings) return 0.0;
    const std::vector<double>& t = kernel_table();
    const double pos = u * kTableSteps;
    const auto i = static_cast<std::size_t>(pos);
    const double frac = pos - static_cast<double>(i);
    return t[i] + (t[i + 1] - t[i]) * frac;
}

}  // namespace

AudioBuffer resample(const AudioBuffer& audio, int sample_rate) {
    if (sample_rate <= 0 || audio.sample_rate <= 0 || audio.channels <= 0) {
        throw InputError("cannot resample audio at " + std::to_string(audio.sample_rate) + " Hz to " +
                         std::to_string(sample_rate) + " Hz; both rates must be positive");
    }
    if (audio.sample_rate == sample_rate) return audio;
    const std::int64_t in_rate = audio.sample_rate;
    const std::int64_t out_rate = sample_rate;
    const SampleCount in_frames = audio.frames();
    const SampleCount out_frames = (in_frames * out_rate + in_rate / 2) / in_rate;
    const int channels = audio.channels;

    // Cut-off just under the lower Nyquist frequency, in cycles per input sample.
    const double cutoff = 0.5 * std::min(1.0, static_cast<double>(out_rate) / static_cast<double>(in_rate)) * 0.94;
    const double scale = 2.0 * cutoff;                            // input samples → zero crossings
    const double half_width = kZeroCrossings / scale;             // in input samples

    AudioBuffer out;
    out.sample_rate = sample_rate;
    out.channels = channels;
    out.samples.assign(static_cast<std::size_t>(out_frames * channels), 0.0f);
    std::vector<double> acc(static_cast<std::size_t>(channels));
    for (SampleCount n = 0; n < out_frames; ++n) {
        // Exact position of output frame n on the input's sample grid.
        const std::int64_t num = n * in_rate;
        const double t = static_cast<double>(num / out_rate) + static_cast<double>(num % out_rate) / static_cast<double>(out_rate);
        const auto first = std::max<SampleCount>(0, static_cast<SampleCount>(std::ceil(t - half_width)));
        const auto last = std::min<SampleCount>(in_frames - 1, static_cast<SampleCount>(std::floor(t + half_width)));
        std::fill(acc.begin(), acc.end(), 0.0);
        for (SampleCount k = first; k <= last; ++k) {
            const double w = kernel((t - static_cast<double>(k)) * scale) * scale;
            const float* frame = &audio.samples[static_cast<std::size_t>(k * channels)];
            for (int c = 0; c < channels; ++c) acc[static_cast<std::size_t>(c)] += w * frame[c];
        }
        float* dst = &out.samples[static_cast<std::size_t>(n * channels)];
        for (int c = 0; c < channels; ++c) dst[c] = static_cast<float>(acc[static_cast<std::size_t>(c)]);
    }
    return out;
}

}  // namespace dramaloc::media
