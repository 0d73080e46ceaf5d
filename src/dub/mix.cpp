#include "dub/mix.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <numbers>
#include <span>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "dub/loudness.hpp"
#include "media/resample.hpp"
#include "media/wav.hpp"

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

// Ducking depth in [0, 1] at each frame, asked for in increasing order: 1 inside a span,
// raised-cosine ramps reaching 1 at the span's start (attack, before it) and leaving 1 at its
// end (release, after it). Spans are merged and sorted, so only the nearest span before and
// the nearest after a frame matter (a ramp falls with distance).
class DuckingDepth {
public:
    DuckingDepth(std::vector<Span> spans, SampleCount attack, SampleCount release)
        : spans_(std::move(spans)), attack_(attack), release_(release) {}

    double at(SampleCount i) {
        while (next_ < spans_.size() && spans_[next_].last <= i) ++next_;  // spans_[next_] is the first ending after i
        double depth = 0.0;
        if (next_ < spans_.size()) {
            const Span& s = spans_[next_];
            if (s.first <= i) return 1.0;
            const SampleCount d = s.first - i;
            if (d <= attack_) depth = raised_cosine(static_cast<double>(d) / static_cast<double>(attack_));
        }
        if (next_ > 0) {
            const SampleCount d = i - (spans_[next_ - 1].last - 1);
            if (d <= release_) depth = std::max(depth, raised_cosine(static_cast<double>(d) / static_cast<double>(release_)));
        }
        return depth;
    }

private:
    std::vector<Span> spans_;
    SampleCount attack_;
    SampleCount release_;
    std::size_t next_ = 0;
};

// `audio` at `rate` with 1 or 2 channels (more are downmixed to mono).
media::AudioBuffer prepare(const media::AudioBuffer& audio, int rate) {
    if (audio.channels <= 0 || audio.sample_rate <= 0) {
        throw InputError("cannot mix audio without channels or sample rate");
    }
    return media::resample(audio.channels > 2 ? media::mix_to_mono(audio) : audio, rate);
}

// Where the background comes from, a block at a time: 1 or 2 channels at the mix rate.
class BackgroundSource {
public:
    virtual ~BackgroundSource() = default;
    virtual int channels() const = 0;
    // Reads up to `frames` frames (interleaved, channels()) into `out`; returns the frames read.
    virtual SampleCount read(SampleCount frames, std::vector<float>& out) = 0;
};

class BufferBackground : public BackgroundSource {
public:
    explicit BufferBackground(std::shared_ptr<const media::AudioBuffer> audio) : audio_(std::move(audio)) {}
    int channels() const override { return audio_->channels; }
    SampleCount read(SampleCount frames, std::vector<float>& out) override {
        const SampleCount n = std::clamp<SampleCount>(audio_->frames() - position_, 0, frames);
        const auto ch = static_cast<std::size_t>(audio_->channels);
        out.assign(audio_->samples.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(position_) * ch),
                   audio_->samples.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(position_ + n) * ch));
        position_ += n;
        return n;
    }

private:
    std::shared_ptr<const media::AudioBuffer> audio_;
    SampleCount position_ = 0;
};

// Silence of `channels` channels, for the dialogue stem (no background).
class SilentBackground : public BackgroundSource {
public:
    int channels() const override { return 1; }
    SampleCount read(SampleCount frames, std::vector<float>& out) override {
        out.assign(static_cast<std::size_t>(frames), 0.0f);
        return frames;
    }
};

class WavBackground : public BackgroundSource {
public:
    explicit WavBackground(const std::filesystem::path& path) : reader_(path) {}
    int channels() const override { return reader_.channels(); }
    SampleCount read(SampleCount frames, std::vector<float>& out) override {
        out.resize(static_cast<std::size_t>(frames) * static_cast<std::size_t>(reader_.channels()));
        const SampleCount n = reader_.read(out);
        out.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(reader_.channels()));
        return n;
    }

private:
    media::WavReader reader_;
};

// Everything that decides the dub mix; plays it block by block, as often as asked.
struct MixPlan {
    std::function<std::unique_ptr<BackgroundSource>()> open_background;
    bool duck = true;        // false for a music-and-effects stem
    bool mid_side = false;   // a stereo original with centre removal
    SampleCount frames = 0;  // the timeline, at the mix rate
    std::vector<Span> spans;
    SampleCount attack = 0;
    SampleCount release = 0;
    double duck_db = 0;
    struct Clip {
        SampleCount offset;
        const media::AudioBuffer* audio;
    };
    std::vector<Clip> clips;  // by offset
    int rate = 48000;
};

constexpr SampleCount kBlockFrames = 1 << 16;

// Plays the mix (stereo, before loudness normalisation) into `sink`.
void play(const MixPlan& plan, const std::function<void(std::span<const float>)>& sink) {
    auto background = plan.open_background();
    DuckingDepth depth(plan.spans, plan.attack, plan.release);
    std::vector<float> in, block;
    // Clips resampled to the mix rate while they overlap the blocks being made.
    std::vector<std::pair<SampleCount, media::AudioBuffer>> active;
    std::size_t next_clip = 0;
    const int in_channels = background->channels();
    for (SampleCount first = 0; first < plan.frames; first += kBlockFrames) {
        throw_if_cancelled();
        const SampleCount n = std::min(kBlockFrames, plan.frames - first);
        const SampleCount got = background->read(n, in);
        block.assign(static_cast<std::size_t>(n) * 2, 0.0f);
        for (SampleCount i = 0; i < got; ++i) {
            const auto k = static_cast<std::size_t>(i);
            block[2 * k] = in[k * static_cast<std::size_t>(in_channels)];
            block[2 * k + 1] = in[k * static_cast<std::size_t>(in_channels) + (in_channels > 1 ? 1 : 0)];
        }
        if (plan.duck) {
            const auto full_gain = static_cast<float>(std::pow(10.0, plan.duck_db / 20.0));  // inside spans: most frames
            for (SampleCount i = 0; i < n; ++i) {
                const double d = depth.at(first + i);
                if (d == 0.0) continue;
                const auto gain = d == 1.0 ? full_gain : static_cast<float>(std::pow(10.0, plan.duck_db * d / 20.0));
                const auto k = static_cast<std::size_t>(i);
                float& left = block[2 * k];
                float& right = block[2 * k + 1];
                if (plan.mid_side) {  // dialogue sits in the centre: duck the mid, keep the sides
                    const float mid = 0.5f * (left + right) * gain;
                    const float side = 0.5f * (left - right);
                    left = mid + side;
                    right = mid - side;
                } else {
                    left *= gain;
                    right *= gain;
                }
            }
        }
        while (next_clip < plan.clips.size() && plan.clips[next_clip].offset < first + n) {
            const auto& c = plan.clips[next_clip++];
            active.emplace_back(c.offset, prepare(c.audio->channels > 1 ? media::mix_to_mono(*c.audio) : *c.audio, plan.rate));
        }
        for (const auto& [offset, clip] : active) {
            const SampleCount from = std::max<SampleCount>(first, std::max<SampleCount>(0, offset));
            const SampleCount to = std::min(first + n, offset + clip.frames());
            for (SampleCount t = from; t < to; ++t) {
                const float v = clip.samples[static_cast<std::size_t>(t - offset)];
                const auto k = static_cast<std::size_t>(t - first);
                block[2 * k] += v;
                block[2 * k + 1] += v;
            }
        }
        std::erase_if(active, [&](const auto& a) { return a.first + a.second.frames() <= first + n; });
        sink(block);
    }
}

MixPlan plan_mix(const std::vector<SpeechRegionMs>& source_speech, const std::vector<ClipPlacement>& clips,
                 const MixOptions& options, SampleCount frames, bool stereo_original) {
    MixPlan plan;
    plan.rate = options.sample_rate;
    plan.frames = frames;
    std::vector<SpeechRegionMs> regions = clip_regions(clips);
    regions.insert(regions.end(), source_speech.begin(), source_speech.end());
    plan.spans = merged_spans(regions, plan.rate, frames);
    plan.attack = ms_to_samples(options.attack_ms, plan.rate);
    plan.release = ms_to_samples(options.release_ms, plan.rate);
    plan.duck_db = options.duck_db;
    plan.mid_side = stereo_original && options.centre_removal_for_stereo;
    for (const ClipPlacement& c : clips) plan.clips.push_back({ms_to_samples(c.start, plan.rate), c.clip});
    std::stable_sort(plan.clips.begin(), plan.clips.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
    return plan;
}

media::AudioBuffer collect(const MixPlan& plan) {
    media::AudioBuffer out;
    out.sample_rate = plan.rate;
    out.channels = 2;
    out.samples.reserve(static_cast<std::size_t>(plan.frames) * 2);
    play(plan, [&](std::span<const float> block) { out.samples.insert(out.samples.end(), block.begin(), block.end()); });
    return out;
}

// The timeline of an original of `frames` at `in_rate`, at the mix rate (as resample() sizes it).
SampleCount timeline_frames(SampleCount frames, int in_rate, int rate) {
    const std::int64_t r = std::max(1, in_rate);
    return (frames * rate + r / 2) / r;
}

std::function<std::unique_ptr<BackgroundSource>()> from_buffer(std::shared_ptr<const media::AudioBuffer> audio) {
    return [audio] { return std::make_unique<BufferBackground>(audio); };
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
    auto source = std::make_shared<const media::AudioBuffer>(prepare(original, options.sample_rate));
    MixPlan plan = plan_mix(regions, {}, options, source->frames(), source->channels == 2);
    plan.open_background = from_buffer(source);
    return collect(plan);
}

media::AudioBuffer mix_dub(const media::AudioBuffer& original, const std::vector<SpeechRegionMs>& source_speech,
                           const std::vector<ClipPlacement>& clips, const media::AudioBuffer* background_stem,
                           const MixOptions& options) {
    if (options.sample_rate <= 0) throw InputError("the dub mix needs a positive sample rate");
    const int rate = options.sample_rate;
    std::shared_ptr<const media::AudioBuffer> background;
    SampleCount frames = 0;
    bool stereo = false;
    if (background_stem != nullptr) {
        frames = timeline_frames(original.frames(), original.sample_rate, rate);
        background = std::make_shared<const media::AudioBuffer>(prepare(*background_stem, rate));
    } else {
        background = std::make_shared<const media::AudioBuffer>(prepare(original, rate));
        frames = background->frames();
        stereo = background->channels == 2;
    }
    MixPlan plan = plan_mix(source_speech, clips, options, frames, stereo);
    plan.duck = background_stem == nullptr;
    plan.open_background = from_buffer(background);
    media::AudioBuffer out = collect(plan);
    normalize_loudness(out, options.target_lufs, options.max_true_peak);
    return out;
}

NormalizeResult mix_dub_to_wav(const std::filesystem::path& original_wav, const std::vector<SpeechRegionMs>& source_speech,
                               const std::vector<ClipPlacement>& clips, const std::filesystem::path* background_stem_wav,
                               const MixOptions& options, const std::filesystem::path& output, const StemFiles* stems) {
    if (options.sample_rate <= 0) throw InputError("the dub mix needs a positive sample rate");
    const int rate = options.sample_rate;
    // A WAV at the mix rate with one or two channels is read a block at a time; anything
    // else is converted in memory first (a stem at another rate, say).
    const auto background_for = [&](const std::filesystem::path& path) {
        const media::WavReader probe(path);
        if (probe.sample_rate() == rate && probe.channels() <= 2)
            return std::function<std::unique_ptr<BackgroundSource>()>(
                [path] { return std::make_unique<WavBackground>(path); });
        return from_buffer(std::make_shared<const media::AudioBuffer>(prepare(media::read_wav(path), rate)));
    };
    const media::WavReader original(original_wav);
    const SampleCount frames = timeline_frames(original.frames(), original.sample_rate(), rate);
    MixPlan plan = plan_mix(source_speech, clips, options, frames, background_stem_wav == nullptr && original.channels() == 2);
    plan.duck = background_stem_wav == nullptr;
    plan.open_background = background_for(background_stem_wav ? *background_stem_wav : original_wav);

    struct WavOutput : StreamOutput {
        media::WavWriter writer;
        WavOutput(const std::filesystem::path& p, int r) : writer(p, r, 2, media::WavSampleFormat::Pcm16) {}
        void write(std::span<const float> block) override { writer.write(block); }
        void keep() override { writer.finish(); }
    };
    const NormalizeResult result = normalize_loudness_streaming(
        2, rate, [&](const BlockSink& sink) { play(plan, sink); },
        [&] { return std::make_unique<WavOutput>(output, rate); }, options.target_lufs, options.max_true_peak);
    if (stems == nullptr) return result;
    // Each stem is the mix played with one part left out, at the mix's gain (no limiter).
    const auto gain = static_cast<float>(std::pow(10.0, result.gain_db / 20.0));
    const auto write_stem = [&](const MixPlan& part, const std::filesystem::path& file) {
        WavOutput out(file, rate);
        std::vector<float> gained;
        play(part, [&](std::span<const float> block) {
            gained.assign(block.begin(), block.end());
            for (float& v : gained) v *= gain;
            out.write(gained);
        });
        out.keep();
    };
    MixPlan music_effects = plan;  // the ducking spans stay: they were planned with the clips
    music_effects.clips.clear();
    write_stem(music_effects, stems->music_effects);
    MixPlan dialogue = plan;
    dialogue.duck = false;
    dialogue.open_background = [] { return std::make_unique<SilentBackground>(); };
    write_stem(dialogue, stems->dialogue);
    return result;
}

}  // namespace dramaloc::dub
