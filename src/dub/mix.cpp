#include "dub/mix.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "dub/loudness.hpp"
#include "media/resample.hpp"

namespace dramaloc::dub {
namespace {

struct Span {
    SampleCount first;
    SampleCount last;  // exclusive
};

// 1 at x = 0 falling smoothly (zero slope at both ends) to 0 at x = 1.
double raised_cosine(double x) { return x >= 1.0 ? 0.0 : 0.5 * (1.0 + std::cos(std::numbers::pi * x)); }

std::vector<Span> merged_spans(const std::vector<SpeechRegionMs>& regions, int rate, SampleCount frames) {
    std::vector<Span> spans;
    for (const SpeechRegionMs& r : regions) {
        const SampleCount first = std::clamp<SampleCount>(ms_to_samples(r.start, rate), 0, frames);
        const SampleCount last = std::clamp<SampleCount>(ms_to_samples(r.end, rate), 0, frames);
        if (last > first) spans.push_back({first, last});
    }
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.first < b.first; });
    std::vector<Span> merged;
    for (const Span& s : spans) {
        if (!merged.empty() && s.first <= merged.back().last) {
            merged.back().last = std::max(merged.back().last, s.last);
        } else {
            merged.push_back(s);
        }
    }
    return merged;
}

// Ducking depth per frame in [0, 1]: 1 inside a span, raised-cosine ramps reaching 1 at the
// span's start (attack, before it) and leaving 1 at its end (release, after it).
std::vector<double> ducking_depth(const std::vector<Span>& spans, SampleCount frames, SampleCount attack,
                                  SampleCount release) {
    const auto n = static_cast<std::size_t>(frames);
    std::vector<double> depth(n, 0.0);
    for (const Span& s : spans) {
        for (SampleCount i = s.first; i < s.last; ++i) depth[static_cast<std::size_t>(i)] = 1.0;
        for (SampleCount d = 1; d <= attack && s.first - d >= 0; ++d) {
            double& v = depth[static_cast<std::size_t>(s.first - d)];
            v = std::max(v, raised_cosine(static_cast<double>(d) / static_cast<double>(attack)));
        }
        for (SampleCount d = 1; d <= release && s.last - 1 + d < frames; ++d) {
            double& v = depth[static_cast<std::size_t>(s.last - 1 + d)];
            v = std::max(v, raised_cosine(static_cast<double>(d) / static_cast<double>(release)));
        }
    }
    return depth;
}

// `audio` at `rate` with 1 or 2 channels (more are downmixed to mono).
media::AudioBuffer prepare(const media::AudioBuffer& audio, int rate) {
    if (audio.channels <= 0 || audio.sample_rate <= 0) {
        throw InputError("cannot mix audio without channels or sample rate");
    }
    return media::resample(audio.channels > 2 ? media::mix_to_mono(audio) : audio, rate);
}

media::AudioBuffer to_stereo(const media::AudioBuffer& audio, SampleCount frames) {
    media::AudioBuffer out;
    out.sample_rate = audio.sample_rate;
    out.channels = 2;
    out.samples.assign(static_cast<std::size_t>(frames) * 2, 0.0f);
    const SampleCount n = std::min(frames, audio.frames());
    for (SampleCount i = 0; i < n; ++i) {
        const auto k = static_cast<std::size_t>(i);
        out.samples[2 * k] = audio.samples[k * static_cast<std::size_t>(audio.channels)];
        out.samples[2 * k + 1] = audio.samples[k * static_cast<std::size_t>(audio.channels) + (audio.channels > 1 ? 1 : 0)];
    }
    return out;
}

}  // namespace

std::vector<SpeechRegionMs> clip_regions(const std::vector<ClipPlacement>& clips) {
    std::vector<SpeechRegionMs> regions;
    for (const ClipPlacement& c : clips) {
        if (c.clip == nullptr) throw InputError("a dub clip placement at " + format_clock(c.start) + " has no audio");
        regions.push_back({c.start, c.start + c.clip->duration_ms()});
    }
    return regions;
}

media::AudioBuffer duck_background(const media::AudioBuffer& original, const std::vector<SpeechRegionMs>& regions,
                                   const MixOptions& options) {
    const int rate = options.sample_rate;
    const media::AudioBuffer source = prepare(original, rate);
    const SampleCount frames = source.frames();
    media::AudioBuffer out = to_stereo(source, frames);
    const std::vector<double> depth =
        ducking_depth(merged_spans(regions, rate, frames), frames, ms_to_samples(options.attack_ms, rate),
                      ms_to_samples(options.release_ms, rate));
    const bool mid_side = source.channels == 2 && options.centre_removal_for_stereo;
    for (std::size_t i = 0; i < depth.size(); ++i) {
        if (depth[i] == 0.0) continue;
        const auto gain = static_cast<float>(std::pow(10.0, options.duck_db * depth[i] / 20.0));
        float& left = out.samples[2 * i];
        float& right = out.samples[2 * i + 1];
        if (mid_side) {  // dialogue sits in the centre: duck the mid, keep the sides
            const float mid = 0.5f * (left + right) * gain;
            const float side = 0.5f * (left - right);
            left = mid + side;
            right = mid - side;
        } else {
            left *= gain;
            right *= gain;
        }
    }
    return out;
}

media::AudioBuffer mix_dub(const media::AudioBuffer& original, const std::vector<SpeechRegionMs>& source_speech,
                           const std::vector<ClipPlacement>& clips, const media::AudioBuffer* background_stem,
                           const MixOptions& options) {
    if (options.sample_rate <= 0) throw InputError("the dub mix needs a positive sample rate");
    const int rate = options.sample_rate;
    std::vector<SpeechRegionMs> regions = clip_regions(clips);
    regions.insert(regions.end(), source_speech.begin(), source_speech.end());

    media::AudioBuffer out;
    if (background_stem != nullptr) {
        // The timeline is the original's, at the mix rate (as resample() would size it).
        const std::int64_t in_rate = std::max(1, original.sample_rate);
        const SampleCount frames = (original.frames() * rate + in_rate / 2) / in_rate;
        out = to_stereo(prepare(*background_stem, rate), frames);
    } else {
        out = duck_background(original, regions, options);
    }
    const SampleCount frames = out.frames();

    for (const ClipPlacement& placement : clips) {
        throw_if_cancelled();
        const media::AudioBuffer clip = prepare(placement.clip->channels > 1 ? media::mix_to_mono(*placement.clip) : *placement.clip, rate);
        const SampleCount offset = ms_to_samples(placement.start, rate);
        for (SampleCount i = std::max<SampleCount>(0, -offset); i < clip.frames() && offset + i < frames; ++i) {
            const float s = clip.samples[static_cast<std::size_t>(i)];
            const auto k = static_cast<std::size_t>(offset + i);
            out.samples[2 * k] += s;
            out.samples[2 * k + 1] += s;
        }
    }
    normalize_loudness(out, options.target_lufs, options.max_true_peak);
    return out;
}

}  // namespace dramaloc::dub
