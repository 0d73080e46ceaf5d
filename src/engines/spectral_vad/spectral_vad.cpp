#include "engines/spectral_vad/spectral_vad.hpp"

#include <algorithm>
#include <cmath>
#include <span>
#include <sstream>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "engines/spectral_vad/spectrum.hpp"

namespace dramaloc::engines {
namespace {

constexpr int kRate = 16000;
constexpr int kHop = 160;    // 10 ms
constexpr int kFrame = 400;  // 25 ms
constexpr int kFft = 512;
constexpr TimeMs kHopMs = 10;

struct FrameFeatures {
    double band_db = -120.0;  // speech-band power
    double rms_dbfs = -120.0;
    double flatness = 1.0;
    double novelty_db = -120.0;  // speech-band power not explained by steady sound, over that sound
};

// Minimum of `x` over the `width` values ending at each index (or starting at it, when
// `backwards`), with a monotonic queue: O(n).
std::vector<float> running_min(const std::vector<float>& x, std::size_t width, bool backwards) {
    const std::size_t n = x.size();
    std::vector<float> out(n);
    std::vector<std::size_t> queue(n);  // indices with increasing values
    std::size_t head = 0, tail = 0;
    for (std::size_t step = 0; step < n; ++step) {
        const std::size_t i = backwards ? n - 1 - step : step;
        while (tail > head && x[queue[tail - 1]] >= x[i]) --tail;
        queue[tail++] = i;
        const std::size_t oldest = queue[head];
        if ((backwards ? oldest - i : i - oldest) >= width) ++head;
        out[i] = x[queue[head]];
    }
    return out;
}

// Music beds, hum and room tone are steady in each frequency bin for a second or more;
// speech is not (its harmonics glide, its formants move, it stops between words). The
// steady part of bin k at frame t is the smaller of its minimum over the second before t
// and the second after t (on a 50 ms average), so a note that starts or stops counts as
// steady on the side where it plays. What rises clearly above that is new sound.
void measure_novelty(const std::vector<float>& bins, std::size_t band_bins, std::vector<FrameFeatures>& frames) {
    constexpr std::size_t kSteadyFrames = 100;  // 1 s each side
    constexpr std::size_t kSmoothFrames = 5;
    constexpr double kOverSubtraction = 2.0;    // 3 dB above the steady level before it counts
    constexpr double kFloorPower = 1e-9;        // −90 dB: keeps digital silence finite
    const std::size_t n = frames.size();
    std::vector<double> novel(n, 0.0);
    std::vector<double> steady(n, 0.0);
    std::vector<float> column(n);
    for (std::size_t k = 0; k < band_bins; ++k) {
        // 50 ms moving average: two close partials beat inside one bin, and the minimum of
        // an unsmoothed bin would sit in the troughs of the beat.
        for (std::size_t t = 0; t < n; ++t) {
            float sum = 0.0f;
            for (std::size_t d = 0; d < kSmoothFrames; ++d) {
                const std::size_t at = std::min(n - 1, t + d >= kSmoothFrames / 2 ? t + d - kSmoothFrames / 2 : 0);
                sum += bins[at * band_bins + k];
            }
            column[t] = sum / static_cast<float>(kSmoothFrames);
        }
        const std::vector<float> before = running_min(column, kSteadyFrames, false);
        const std::vector<float> after = running_min(column, kSteadyFrames, true);
        for (std::size_t t = 0; t < n; ++t) {
            const double level = std::max(before[t], after[t]);
            steady[t] += level;
            novel[t] += std::max(0.0, static_cast<double>(bins[t * band_bins + k]) - kOverSubtraction * level);
        }
    }
    for (std::size_t t = 0; t < n; ++t) {
        frames[t].novelty_db = dsp::to_db(novel[t] / static_cast<double>(band_bins)) -
                               dsp::to_db(steady[t] / static_cast<double>(band_bins) + kFloorPower);
    }
}

std::vector<FrameFeatures> analyse(const std::vector<float>& samples) {
    std::vector<FrameFeatures> frames;
    if (samples.size() < static_cast<std::size_t>(kFrame)) return frames;
    const std::size_t count = (samples.size() - kFrame) / kHop + 1;
    frames.reserve(count);
    dsp::PowerSpectrum spectrum(kFrame, kFft);
    const int low = spectrum.bin_of(300.0, kRate);
    const int high = spectrum.bin_of(4000.0, kRate);
    const auto band_bins = static_cast<std::size_t>(high - low + 1);
    std::vector<float> bins(count * band_bins);  // speech-band power, frame-major (≈ 50 kB per second)
    for (std::size_t i = 0; i < count; ++i) {
        if (i % 1000 == 0) throw_if_cancelled();
        const std::span<const float> frame(samples.data() + i * kHop, kFrame);
        double energy = 0.0;
        for (float s : frame) energy += static_cast<double>(s) * s;
        const std::span<const double> power = spectrum.compute(frame);
        FrameFeatures f;
        f.rms_dbfs = dsp::to_db(energy / kFrame);
        f.band_db = dsp::to_db(dsp::band_power(power, low, high));
        f.flatness = dsp::spectral_flatness(power, low, high);
        frames.push_back(f);
        for (std::size_t k = 0; k < band_bins; ++k) {
            bins[i * band_bins + k] = static_cast<float>(power[static_cast<std::size_t>(low) + k]);
        }
    }
    measure_novelty(bins, band_bins, frames);
    return frames;
}

// A low percentile of band energy over a centred window: the level of whatever plays
// under the dialogue. Recomputed every 10 frames and held, which is plenty for a floor.
std::vector<double> local_floor(const std::vector<FrameFeatures>& frames, const SpectralVadSettings& s) {
    const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(frames.size());
    const std::ptrdiff_t half = std::max<std::ptrdiff_t>(1, s.floor_window_ms / kHopMs / 2);
    constexpr std::ptrdiff_t kStep = 10;
    std::vector<double> floor(frames.size(), -120.0);
    std::vector<double> window;
    for (std::ptrdiff_t centre = 0; centre < n; centre += kStep) {
        const std::ptrdiff_t from = std::max<std::ptrdiff_t>(0, centre - half);
        const std::ptrdiff_t to = std::min(n, centre + half + 1);
        window.clear();
        for (std::ptrdiff_t i = from; i < to; ++i) window.push_back(frames[static_cast<std::size_t>(i)].band_db);
        const auto k = static_cast<std::ptrdiff_t>(s.floor_percentile * static_cast<double>(window.size() - 1));
        std::nth_element(window.begin(), window.begin() + k, window.end());
        const double value = window[static_cast<std::size_t>(k)];
        for (std::ptrdiff_t i = centre; i < std::min(n, centre + kStep); ++i) floor[static_cast<std::size_t>(i)] = value;
    }
    return floor;
}

struct FrameSpan {
    std::ptrdiff_t first = 0;
    std::ptrdiff_t last = 0;  // inclusive
};

// Each region cut where its speech-band level, smoothed over 50 ms, stays pause_below_speech_db
// under the region's 80th percentile for pause_ms or more while something plays (the level is
// above the absolute floor); the pause is left out.
std::vector<SpeechRegion> cut_at_pauses(const std::vector<SpeechRegion>& regions, const std::vector<FrameFeatures>& frames,
                                        const SpectralVadSettings& s) {
    constexpr std::ptrdiff_t kSmooth = 5;
    const auto n = static_cast<std::ptrdiff_t>(frames.size());
    const std::ptrdiff_t min_pause = std::max<TimeMs>(1, s.pause_ms / kHopMs);
    std::vector<SpeechRegion> out;
    for (const SpeechRegion& r : regions) {
        const std::ptrdiff_t first = std::clamp<std::ptrdiff_t>(r.start / kHopMs, 0, n - 1);
        const std::ptrdiff_t last = std::clamp<std::ptrdiff_t>((r.end - 1) / kHopMs, first, n - 1);
        std::vector<double> level;
        for (std::ptrdiff_t i = first; i <= last; ++i) {
            double sum = 0;
            std::ptrdiff_t count = 0;
            for (std::ptrdiff_t k = std::max(first, i - kSmooth / 2); k <= std::min(last, i + kSmooth / 2); ++k, ++count)
                sum += frames[static_cast<std::size_t>(k)].band_db;
            level.push_back(sum / static_cast<double>(count));
        }
        std::vector<double> sorted = level;
        const auto k80 = static_cast<std::ptrdiff_t>(0.8 * static_cast<double>(sorted.size() - 1));
        std::nth_element(sorted.begin(), sorted.begin() + k80, sorted.end());
        const double quiet = sorted[static_cast<std::size_t>(k80)] - s.pause_below_speech_db;
        TimeMs start = r.start;
        for (std::ptrdiff_t i = 0; i < static_cast<std::ptrdiff_t>(level.size());) {
            if (level[static_cast<std::size_t>(i)] >= quiet) {
                ++i;
                continue;
            }
            std::ptrdiff_t j = i;
            while (j < static_cast<std::ptrdiff_t>(level.size()) && level[static_cast<std::size_t>(j)] < quiet) ++j;
            const TimeMs pause_start = (first + i) * kHopMs, pause_end = (first + j) * kHopMs;
            // Only a pause with sound under it: a silent one is the hysteresis' (and the
            // bridge's) to judge. Both sides must stay regions of their own (a cut that left
            // a blip would lose a word).
            double under = 0;
            for (std::ptrdiff_t k = first + i; k < first + j; ++k) under += frames[static_cast<std::size_t>(k)].rms_dbfs;
            under /= static_cast<double>(j - i);
            if (j - i >= min_pause && under > s.absolute_floor_dbfs && pause_start - start >= s.min_region_ms &&
                r.end - pause_end >= s.min_region_ms) {
                out.push_back({start, pause_start});
                start = pause_end;
            }
            i = j;
        }
        out.push_back({start, r.end});
    }
    return out;
}

}  // namespace

SpectralVoiceActivityDetector::SpectralVoiceActivityDetector(SpectralVadSettings settings)
    : settings_(settings) {}

std::string SpectralVoiceActivityDetector::version() const {
    const SpectralVadSettings& s = settings_;
    std::ostringstream out;
    out << "spectral-vad 3 pause=" << s.pause_below_speech_db << "/" << s.pause_ms << " enter=" << s.enter_db << " stay=" << s.stay_db << " edge=" << s.edge_db
        << " abs=" << s.absolute_floor_dbfs << " pct=" << s.floor_percentile << " win=" << s.floor_window_ms
        << " hang=" << s.hangover_ms << " ext=" << s.max_edge_extension_ms << " bridge=" << s.bridge_gap_ms
        << " min=" << s.min_region_ms << " novel=" << s.enter_novelty_db << "/" << s.stay_novelty_db << "/" << s.edge_novelty_db << " flat=" << s.max_voiced_flatness << " voiced=" << s.min_voiced_ms;
    return out.str();
}

std::vector<SpeechRegion> SpectralVoiceActivityDetector::detect(const media::AudioBuffer& mono_16k) {
    if (mono_16k.sample_rate != kRate || mono_16k.channels != 1) {
        throw InputError("voice activity detection needs mono 16 kHz audio, got " +
                         std::to_string(mono_16k.channels) + " channel(s) at " +
                         std::to_string(mono_16k.sample_rate) + " Hz; decode with media::decode_audio(path, 16000, 1)");
    }
    const SpectralVadSettings& s = settings_;
    const std::vector<FrameFeatures> frames = analyse(mono_16k.samples);
    if (frames.empty()) return {};
    const std::vector<double> floor = local_floor(frames, s);
    const auto above = [&](std::size_t i, double margin) {
        return frames[i].rms_dbfs > s.absolute_floor_dbfs && frames[i].band_db > floor[i] + margin;
    };
    // Loud and new: above the floor and not a steady sound (music bed, hum).
    const auto speech_like = [&](std::size_t i, double margin, double novelty) {
        return above(i, margin) && frames[i].novelty_db > novelty;
    };

    // Hysteresis with hangover: enter high, stay while moderately high, linger a little.
    std::vector<FrameSpan> spans;
    const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(frames.size());
    const std::ptrdiff_t hangover = s.hangover_ms / kHopMs;
    bool active = false;
    std::ptrdiff_t last_loud = 0;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        const auto u = static_cast<std::size_t>(i);
        if (!active) {
            if (speech_like(u, s.enter_db, s.enter_novelty_db)) {
                active = true;
                spans.push_back({i, i});
                last_loud = i;
            }
        } else if (speech_like(u, s.stay_db, s.stay_novelty_db)) {
            last_loud = i;
        } else if (i - last_loud > hangover) {
            spans.back().last = last_loud;
            active = false;
        }
    }
    if (active) spans.back().last = last_loud;

    // Soft onsets ("h", "f") and tails sit between the floor and the entry margin.
    const std::ptrdiff_t max_extension = s.max_edge_extension_ms / kHopMs;
    for (FrameSpan& span : spans) {
        for (std::ptrdiff_t k = 0; k < max_extension && span.first > 0 &&
                                   speech_like(static_cast<std::size_t>(span.first - 1), s.edge_db, s.edge_novelty_db); ++k) {
            --span.first;
        }
        for (std::ptrdiff_t k = 0; k < max_extension && span.last + 1 < n &&
                                   speech_like(static_cast<std::size_t>(span.last + 1), s.edge_db, s.edge_novelty_db); ++k) {
            ++span.last;
        }
    }

    // Noise bursts (a door, wind) are loud but not voiced: keep regions with enough tonal frames.
    const std::ptrdiff_t min_voiced = s.min_voiced_ms / kHopMs;
    std::vector<SpeechRegion> regions;
    for (const FrameSpan& span : spans) {
        std::ptrdiff_t voiced = 0;
        for (std::ptrdiff_t i = span.first; i <= span.last; ++i) {
            const auto u = static_cast<std::size_t>(i);
            if (frames[u].flatness <= s.max_voiced_flatness && speech_like(u, s.stay_db, s.stay_novelty_db)) ++voiced;
        }
        if (voiced < min_voiced) continue;
        const TimeMs start = span.first * kHopMs;
        const TimeMs end = std::min(mono_16k.duration_ms(), span.last * kHopMs + kFrame * 1000 / kRate);
        if (!regions.empty() && start - regions.back().end < s.bridge_gap_ms) {
            regions.back().end = std::max(regions.back().end, end);
        } else {
            regions.push_back({start, end});
        }
    }
    regions = cut_at_pauses(regions, frames, s);
    std::erase_if(regions, [&](const SpeechRegion& r) { return r.end - r.start < s.min_region_ms; });
    return regions;
}

}  // namespace dramaloc::engines
