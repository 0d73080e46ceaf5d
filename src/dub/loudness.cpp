#include "dub/loudness.hpp"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <vector>

#include "core/error.hpp"

namespace dramaloc::dub {
namespace {

struct Ebur128Deleter {
    void operator()(ebur128_state* state) const noexcept { ebur128_destroy(&state); }
};
using Ebur128Ptr = std::unique_ptr<ebur128_state, Ebur128Deleter>;

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

double to_db(double linear) { return linear > 0.0 ? 20.0 * std::log10(linear) : kMinusInfinity; }
double from_db(double db) { return std::pow(10.0, db / 20.0); }

void check(int rc, const char* what) {
    if (rc != EBUR128_SUCCESS) throw EngineError(std::string("libebur128 ") + what + " failed (code " + std::to_string(rc) + ")");
}

void apply_gain(media::AudioBuffer& audio, double gain) {
    for (float& s : audio.samples) s = static_cast<float>(s * gain);
}

}  // namespace

LoudnessMeasurement measure_loudness(const media::AudioBuffer& audio) {
    if (audio.channels <= 0 || audio.sample_rate <= 0) {
        throw InputError("cannot measure loudness of audio without channels or sample rate");
    }
    LoudnessMeasurement m{kMinusInfinity, kMinusInfinity};
    if (audio.empty()) return m;
    Ebur128Ptr state(ebur128_init(static_cast<unsigned>(audio.channels), static_cast<unsigned long>(audio.sample_rate),
                                  EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK));
    if (!state) throw EngineError("libebur128 could not start (out of memory or unsupported format)");
    check(ebur128_add_frames_float(state.get(), audio.samples.data(), static_cast<std::size_t>(audio.frames())),
          "add_frames");
    double lufs = 0.0;
    check(ebur128_loudness_global(state.get(), &lufs), "loudness_global");
    m.integrated_lufs = std::isfinite(lufs) ? lufs : kMinusInfinity;
    double peak = 0.0;
    for (unsigned c = 0; c < static_cast<unsigned>(audio.channels); ++c) {
        double channel_peak = 0.0;
        check(ebur128_true_peak(state.get(), c, &channel_peak), "true_peak");
        peak = std::max(peak, channel_peak);
    }
    m.true_peak_dbtp = to_db(peak);
    return m;
}

void limit_peaks(media::AudioBuffer& audio, double ceiling, double lookahead_ms, double release_ms) {
    const SampleCount frames = audio.frames();
    if (frames == 0 || ceiling <= 0.0) return;
    const auto channels = static_cast<std::size_t>(audio.channels);
    const auto n = static_cast<std::size_t>(frames);
    // Gain each frame needs on its own.
    std::vector<double> need(n, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
        double peak = 0.0;
        for (std::size_t c = 0; c < channels; ++c) peak = std::max(peak, static_cast<double>(std::abs(audio.samples[i * channels + c])));
        if (peak > ceiling) need[i] = ceiling / peak;
    }
    const auto look = static_cast<std::size_t>(std::max(1.0, lookahead_ms * audio.sample_rate / 1000.0));
    // m[i] = min(need[i .. i+look]) (sliding minimum, monotone deque); then a moving average of
    // m over [i-look, i] is a linear-ramp gain that is <= need at every peak.
    std::vector<double> minimum(n);
    std::deque<std::size_t> window;
    for (std::size_t j = n; j-- > 0;) {
        while (!window.empty() && need[window.back()] >= need[j]) window.pop_back();
        window.push_back(j);
        while (window.front() > j + look) window.pop_front();
        minimum[j] = need[window.front()];
    }
    const double recover = 1.0 - std::exp(-1.0 / std::max(1.0, release_ms * audio.sample_rate / 1000.0));
    double sum = 0.0;
    double gain = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
        sum += minimum[i];
        if (i >= look + 1) sum -= minimum[i - look - 1];
        const double count = static_cast<double>(std::min(i + 1, look + 1));
        // Frames before the start count as minimum[0], so a peak in the first `look` frames is covered too.
        const double smoothed = (sum + (static_cast<double>(look + 1) - count) * minimum[0]) / static_cast<double>(look + 1);
        gain = std::min(smoothed, gain + (1.0 - gain) * recover);
        for (std::size_t c = 0; c < channels; ++c) {
            float& s = audio.samples[i * channels + c];
            s = static_cast<float>(s * gain);
        }
    }
}

namespace {

// Gain to `gain_db`, then limited so the true peak is at most `max_dbtp`. The limiter acts on
// sample peaks and true (inter-sample) peaks can sit a little higher, so its ceiling is
// lowered by any excess left and the pass repeated; plain gain reduction is the last resort.
media::AudioBuffer gain_and_limit(const media::AudioBuffer& source, double gain_db, double max_dbtp, bool* limited,
                                  LoudnessMeasurement* after) {
    media::AudioBuffer gained = source;
    apply_gain(gained, from_db(gain_db));
    *after = measure_loudness(gained);
    *limited = false;
    media::AudioBuffer out = gained;
    double ceiling_db = max_dbtp;
    for (int pass = 0; pass < 4 && after->true_peak_dbtp > max_dbtp; ++pass) {
        out = gained;
        limit_peaks(out, from_db(ceiling_db));
        *limited = true;
        *after = measure_loudness(out);
        ceiling_db -= std::max(0.0, after->true_peak_dbtp - max_dbtp) + 0.02;
    }
    if (after->true_peak_dbtp > max_dbtp) {
        apply_gain(out, from_db(max_dbtp - after->true_peak_dbtp - 0.01));
        *after = measure_loudness(out);
    }
    return out;
}

}  // namespace

NormalizeResult normalize_loudness(media::AudioBuffer& audio, double target_lufs, double max_true_peak_dbtp) {
    NormalizeResult result;
    result.before = measure_loudness(audio);
    result.after = result.before;
    if (!std::isfinite(result.before.integrated_lufs)) return result;  // silence or too short to measure
    // Limiting takes a little loudness away; make up for it (a few rounds, at most 6 dB more)
    // so the result lands on the target rather than under it.
    const double base_gain = target_lufs - result.before.integrated_lufs;
    double gain = base_gain;
    media::AudioBuffer out;
    for (int round = 0; round < 3; ++round) {
        out = gain_and_limit(audio, gain, max_true_peak_dbtp, &result.limited, &result.after);
        result.gain_db = gain;
        const double shortfall = target_lufs - result.after.integrated_lufs;
        if (!result.limited || std::abs(shortfall) < 0.1 || gain + shortfall > base_gain + 6.0) break;
        gain += shortfall;
    }
    audio = std::move(out);
    return result;
}

}  // namespace dramaloc::dub
