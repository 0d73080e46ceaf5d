#include "dub/loudness.hpp"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace dramaloc::dub {
namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();
// dB under the true-peak target the limiter's ceiling starts at: a limiter of sample peaks
// lets through inter-sample peaks of about this much (a pass more when it was not enough).
constexpr double kTruePeakMargin = 0.1;

double to_db(double linear) { return linear > 0.0 ? 20.0 * std::log10(linear) : kMinusInfinity; }
double from_db(double db) { return std::pow(10.0, db / 20.0); }

void check(int rc, const char* what) {
    if (rc != EBUR128_SUCCESS) throw EngineError(std::string("libebur128 ") + what + " failed (code " + std::to_string(rc) + ")");
}

}  // namespace

LoudnessMeasurement measure_loudness(const media::AudioBuffer& audio) {
    LoudnessMeter meter(audio.channels, audio.sample_rate);
    meter.add(audio.samples);
    return meter.result();
}

double measure_integrated_loudness(const media::AudioBuffer& audio) {
    LoudnessMeter meter(audio.channels, audio.sample_rate, LoudnessMeter::Measure::Loudness);
    meter.add(audio.samples);
    return meter.result().integrated_lufs;
}

double measure_speech_loudness(const media::AudioBuffer& audio, const std::vector<SpeechRegionMs>& speech) {
    if (audio.channels <= 0 || audio.sample_rate <= 0) throw InputError("cannot measure loudness of audio without channels or sample rate");
    std::vector<SpeechRegionMs> regions = speech;
    std::sort(regions.begin(), regions.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
    LoudnessMeter gated(audio.channels, audio.sample_rate, LoudnessMeter::Measure::Loudness);
    const auto channels = static_cast<std::size_t>(audio.channels);
    SampleCount done = 0;  // regions that overlap are measured once
    for (const auto& r : regions) {
        const SampleCount first = std::clamp<SampleCount>(std::max(done, ms_to_samples(r.start, audio.sample_rate)), 0, audio.frames());
        const SampleCount last = std::clamp<SampleCount>(ms_to_samples(r.end, audio.sample_rate), 0, audio.frames());
        if (last <= first) continue;
        gated.add(std::span<const float>(audio.samples).subspan(static_cast<std::size_t>(first) * channels,
                                                                  static_cast<std::size_t>(last - first) * channels));
        done = last;
    }
    return gated.result().integrated_lufs;
}

PeakLimiter::PeakLimiter(int channels, int sample_rate, double ceiling, double lookahead_ms, double release_ms)
    : channels_(static_cast<std::size_t>(std::max(1, channels))), ceiling_(ceiling),
      look_(static_cast<std::size_t>(std::max(1.0, lookahead_ms * sample_rate / 1000.0))),
      recover_(1.0 - std::exp(-1.0 / std::max(1.0, release_ms * sample_rate / 1000.0))) {}

// Frames are numbered from 0. need[k] is the gain frame k needs on its own; minimum[i] =
// min(need[i .. i+look]) (a monotone deque over the newest look+1 frames); a moving average
// of minimum over [i-look, i] is a linear-ramp gain that is <= need at every peak. Frame i
// goes out once frame i+look has come in (or at the end, where missing frames need 1).
void PeakLimiter::push(std::span<const float> interleaved, std::vector<float>& out) {
    const std::size_t frames = interleaved.size() / channels_;
    for (std::size_t f = 0; f < frames; ++f) {
        double peak = 0.0;
        for (std::size_t c = 0; c < channels_; ++c) {
            const float v = interleaved[f * channels_ + c];
            peak = std::max(peak, static_cast<double>(std::abs(v)));
            delayed_.push_back(v);
        }
        const double need = ceiling_ > 0.0 && peak > ceiling_ ? ceiling_ / peak : 1.0;
        const std::size_t k = pushed_++;
        while (!window_.empty() && window_.back().second >= need) window_.pop_back();
        window_.emplace_back(k, need);
        if (k >= look_) {
            const std::size_t i = k - look_;
            while (window_.front().first < i) window_.pop_front();
            emit(window_.front().second, out);
        }
    }
}

void PeakLimiter::flush(std::vector<float>& out) {
    while (emitted_ < pushed_) {
        const std::size_t i = emitted_;
        while (window_.front().first < i) window_.pop_front();
        emit(window_.front().second, out);
    }
}

void PeakLimiter::emit(double minimum, std::vector<float>& out) {
    const std::size_t i = emitted_++;
    if (i == 0) first_minimum_ = minimum;
    sum_ += minimum;
    minima_.push_back(minimum);
    if (minima_.size() > look_ + 1) {
        sum_ -= minima_.front();
        minima_.pop_front();
    }
    const double count = static_cast<double>(std::min(i + 1, look_ + 1));
    // Frames before the start count as minimum[0], so a peak in the first `look` frames is covered too.
    const double smoothed = (sum_ + (static_cast<double>(look_ + 1) - count) * first_minimum_) / static_cast<double>(look_ + 1);
    gain_ = std::min(smoothed, gain_ + (1.0 - gain_) * recover_);
    if (gain_ < 1.0) limited_ = true;
    for (std::size_t c = 0; c < channels_; ++c) {
        out.push_back(static_cast<float>(delayed_.front() * gain_));
        delayed_.pop_front();
    }
}

void limit_peaks(media::AudioBuffer& audio, double ceiling, double lookahead_ms, double release_ms) {
    if (audio.frames() == 0 || ceiling <= 0.0) return;
    PeakLimiter limiter(audio.channels, audio.sample_rate, ceiling, lookahead_ms, release_ms);
    std::vector<float> out;
    out.reserve(audio.samples.size());
    limiter.push(audio.samples, out);
    limiter.flush(out);
    audio.samples = std::move(out);
}

struct LoudnessMeter::State {
    ebur128_state* handle = nullptr;
    ~State() {
        if (handle) ebur128_destroy(&handle);
    }
};

LoudnessMeter::LoudnessMeter(int channels, int sample_rate, Measure measure)
    : channels_(channels), measure_(measure), state_(std::make_unique<State>()) {
    if (channels <= 0 || sample_rate <= 0) throw InputError("cannot measure loudness of audio without channels or sample rate");
    const int mode = measure == Measure::Both       ? EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK
                     : measure == Measure::Loudness ? EBUR128_MODE_I
                                                    : EBUR128_MODE_TRUE_PEAK;
    state_->handle = ebur128_init(static_cast<unsigned>(channels), static_cast<unsigned long>(sample_rate), mode);
    if (!state_->handle) throw EngineError("libebur128 could not start (out of memory or unsupported format)");
}

LoudnessMeter::~LoudnessMeter() = default;

void LoudnessMeter::add(std::span<const float> interleaved) {
    const std::size_t frames = interleaved.size() / static_cast<std::size_t>(channels_);
    if (frames == 0) return;
    check(ebur128_add_frames_float(state_->handle, interleaved.data(), frames), "add_frames");
    frames_ += static_cast<SampleCount>(frames);
}

LoudnessMeasurement LoudnessMeter::result() const {
    LoudnessMeasurement m{kMinusInfinity, kMinusInfinity};
    if (frames_ == 0) return m;
    if (measure_ != Measure::TruePeak) {
        double lufs = 0.0;
        check(ebur128_loudness_global(state_->handle, &lufs), "loudness_global");
        m.integrated_lufs = std::isfinite(lufs) ? lufs : kMinusInfinity;
    }
    if (measure_ == Measure::Loudness) return m;
    double peak = 0.0;
    for (unsigned c = 0; c < static_cast<unsigned>(channels_); ++c) {
        double channel_peak = 0.0;
        check(ebur128_true_peak(state_->handle, c, &channel_peak), "true_peak");
        peak = std::max(peak, channel_peak);
    }
    m.true_peak_dbtp = to_db(peak);
    return m;
}

namespace {

// A LoudnessMeter fed on a thread of its own, with blocks shared with other such meters;
// `channel` >= 0 meters that channel of the interleaved blocks alone.
class MeterThread {
public:
    using Block = std::shared_ptr<const std::vector<float>>;
    MeterThread(int channels, int rate, LoudnessMeter::Measure measure, int channel)
        : channels_(channels), channel_(channel), meter_(channel >= 0 ? 1 : channels, rate, measure),
          thread_([this] { work(); }) {}
    ~MeterThread() { close(); }
    MeterThread(const MeterThread&) = delete;
    MeterThread& operator=(const MeterThread&) = delete;

    void add(const Block& block) {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [this] { return queue_.size() < kMaxBlocks || failed_; });
        if (failed_) return;  // result() reports it
        queue_.push_back(block);
        ready_.notify_one();
    }
    LoudnessMeasurement result() {
        close();
        if (error_) std::rethrow_exception(error_);
        return meter_.result();
    }

private:
    static constexpr std::size_t kMaxBlocks = 32;
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        ready_.notify_one();
        if (thread_.joinable()) thread_.join();
    }
    void work() {
        std::vector<float> one;
        while (true) {
            Block block;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [this] { return !queue_.empty() || closed_; });
                if (queue_.empty()) return;
                block = std::move(queue_.front());
                queue_.pop_front();
                room_.notify_one();
            }
            try {
                if (channel_ < 0) {
                    meter_.add(*block);
                } else {
                    one.clear();
                    for (std::size_t i = static_cast<std::size_t>(channel_); i < block->size(); i += static_cast<std::size_t>(channels_))
                        one.push_back((*block)[i]);
                    meter_.add(one);
                }
            } catch (...) {
                std::lock_guard lock(mutex_);
                error_ = std::current_exception();
                failed_ = true;
                queue_.clear();
                room_.notify_all();
                return;
            }
        }
    }
    int channels_;
    int channel_;
    LoudnessMeter meter_;
    std::mutex mutex_;
    std::condition_variable ready_, room_;
    std::deque<Block> queue_;
    bool closed_ = false, failed_ = false;
    std::exception_ptr error_;
    std::thread thread_;  // last: started once everything it uses exists
};

// Loudness and true peak measured beside the pass that makes and writes the signal: the
// integrated loudness on one thread, each channel's true peak (the costly part) on one
// more. Measures exactly what one LoudnessMeter would, block for block.
class BackgroundMeter {
public:
    BackgroundMeter(int channels, int rate) {
        meters_.push_back(std::make_unique<MeterThread>(channels, rate, LoudnessMeter::Measure::Loudness, -1));
        for (int c = 0; c < channels; ++c)
            meters_.push_back(std::make_unique<MeterThread>(channels, rate, LoudnessMeter::Measure::TruePeak, c));
    }
    void add(std::span<const float> block) {
        const auto shared = std::make_shared<const std::vector<float>>(block.begin(), block.end());
        for (auto& m : meters_) m->add(shared);
    }
    LoudnessMeasurement result() {
        LoudnessMeasurement m{meters_.front()->result().integrated_lufs, kMinusInfinity};
        for (std::size_t i = 1; i < meters_.size(); ++i) m.true_peak_dbtp = std::max(m.true_peak_dbtp, meters_[i]->result().true_peak_dbtp);
        return m;
    }

private:
    std::vector<std::unique_ptr<MeterThread>> meters_;
};

// One pass of the streaming normalisation: gain, then (when limiting) the limiter, then a
// final plain gain; measured, and written to a fresh output.
struct PassResult {
    LoudnessMeasurement after;
    bool limited = false;
    std::unique_ptr<StreamOutput> output;
};

PassResult stream_pass(int channels, int rate, const std::function<void(const BlockSink&)>& replay,
                       const std::function<std::unique_ptr<StreamOutput>()>& open_output, double gain_db,
                       std::optional<double> ceiling_db, double post_gain_db) {
    PassResult r;
    r.output = open_output();
    BackgroundMeter meter(channels, rate);
    std::optional<PeakLimiter> limiter;
    if (ceiling_db) limiter.emplace(channels, rate, from_db(*ceiling_db));
    const double gain = from_db(gain_db);
    const double post = from_db(post_gain_db);
    std::vector<float> gained, limited;
    auto deliver = [&](std::vector<float>& block) {
        if (post_gain_db != 0.0)
            for (float& v : block) v = static_cast<float>(v * post);
        meter.add(block);
        r.output->write(block);
    };
    replay([&](std::span<const float> block) {
        gained.assign(block.begin(), block.end());
        if (gain_db != 0.0)
            for (float& v : gained) v = static_cast<float>(v * gain);
        if (limiter) {
            limited.clear();
            limiter->push(gained, limited);
            deliver(limited);
        } else {
            deliver(gained);
        }
    });
    if (limiter) {
        limited.clear();
        limiter->flush(limited);
        deliver(limited);
        r.limited = limiter->limited();
    }
    r.after = meter.result();
    return r;
}

}  // namespace

NormalizeResult normalize_loudness_streaming(int channels, int sample_rate, const std::function<void(const BlockSink&)>& replay,
                                             const std::function<std::unique_ptr<StreamOutput>()>& open_output,
                                             double target_lufs, double max_true_peak_dbtp) {
    NormalizeResult result;
    float sample_peak = 0.0f;
    {
        LoudnessMeter meter(channels, sample_rate, LoudnessMeter::Measure::Loudness);  // the gain needs no true peak
        replay([&](std::span<const float> block) {
            meter.add(block);
            for (const float v : block) sample_peak = std::max(sample_peak, std::abs(v));
        });
        result.before = meter.result();
    }
    if (!std::isfinite(result.before.integrated_lufs)) {
        // Silence or too short to measure: written as it is.
        PassResult r = stream_pass(channels, sample_rate, replay, open_output, 0.0, std::nullopt, 0.0);
        result.after = r.after;
        r.output->keep();
        return result;
    }
    // The rounds of normalize_loudness (gain and limit, then make-up gain), one pass each. The
    // limiter runs from the first pass: below its ceiling it changes nothing, so a signal that
    // needs no limiting comes out exactly as plain gain would make it, one pass sooner. The
    // limiter keeps sample peaks under its ceiling and the true peak between samples can be a
    // little higher, so the ceiling starts a little under the target; once a pass has shown
    // how far over it went, the next round's gain keeps the lowered ceiling.
    //
    // When the limiter will act, one cheap pass first (gain and limiter, loudness only: no true
    // peak, nothing written) tells how much loudness it takes away, so the first full pass
    // usually has the gain that reaches the target.
    const double base_gain = target_lufs - result.before.integrated_lufs;
    double gain = base_gain;
    double ceiling_db = max_true_peak_dbtp - kTruePeakMargin;
    std::optional<std::pair<double, double>> tried;  // a gain and the loudness it gave, for the next step's slope
    if (to_db(sample_peak) + base_gain > ceiling_db) {
        LoudnessMeter meter(channels, sample_rate, LoudnessMeter::Measure::Loudness);
        PeakLimiter limiter(channels, sample_rate, from_db(ceiling_db));
        const double linear = from_db(base_gain);
        std::vector<float> gained, limited;
        replay([&](std::span<const float> block) {
            gained.assign(block.begin(), block.end());
            for (float& v : gained) v = static_cast<float>(v * linear);
            limited.clear();
            limiter.push(gained, limited);
            meter.add(limited);
        });
        limited.clear();
        limiter.flush(limited);
        meter.add(limited);
        const double estimated = meter.result().integrated_lufs;
        if (std::isfinite(estimated)) {
            tried = {base_gain, estimated};
            gain += std::min(6.0, std::max(0.0, target_lufs - estimated));
        }
    }
    PassResult last;
    for (int round = 0; round < 3; ++round) {
        last = stream_pass(channels, sample_rate, replay, open_output, gain, ceiling_db, 0.0);
        for (int pass = 0; pass < 3 && last.after.true_peak_dbtp > max_true_peak_dbtp; ++pass) {
            ceiling_db -= std::max(0.0, last.after.true_peak_dbtp - max_true_peak_dbtp) + 0.02;
            last = stream_pass(channels, sample_rate, replay, open_output, gain, ceiling_db, 0.0);
        }
        if (last.after.true_peak_dbtp > max_true_peak_dbtp)
            last = stream_pass(channels, sample_rate, replay, open_output, gain, ceiling_db,
                               max_true_peak_dbtp - last.after.true_peak_dbtp - 0.01);
        result.limited = last.limited;
        result.after = last.after;
        result.gain_db = gain;
        const double shortfall = target_lufs - result.after.integrated_lufs;
        // The limiter takes back part of each added dB: the step follows the slope the last
        // two gains showed (a secant step), between 1 dB and 5 dB per dB of shortfall.
        double slope = 1.0;
        if (tried && std::abs(gain - tried->first) > 1e-6)
            slope = std::clamp((result.after.integrated_lufs - tried->second) / (gain - tried->first), 0.2, 1.0);
        const double step = shortfall / slope;
        if (!result.limited || std::abs(shortfall) < 0.1 || gain + step > base_gain + 6.0) break;
        tried = {gain, result.after.integrated_lufs};
        gain += step;
    }
    last.output->keep();
    return result;
}

NormalizeResult normalize_loudness(media::AudioBuffer& audio, double target_lufs, double max_true_peak_dbtp) {
    // The streaming passes over the buffer itself: one algorithm for both.
    struct BufferOutput : StreamOutput {
        std::vector<float> samples;
        media::AudioBuffer* keep_into;
        explicit BufferOutput(media::AudioBuffer* into) : keep_into(into) {}
        void write(std::span<const float> block) override { samples.insert(samples.end(), block.begin(), block.end()); }
        void keep() override { keep_into->samples = std::move(samples); }
    };
    if (audio.channels <= 0 || audio.sample_rate <= 0)
        throw InputError("cannot measure loudness of audio without channels or sample rate");
    const std::vector<float> source = audio.samples;
    return normalize_loudness_streaming(
        audio.channels, audio.sample_rate, [&](const BlockSink& sink) { sink(source); },
        [&] { return std::make_unique<BufferOutput>(&audio); }, target_lufs, max_true_peak_dbtp);
}

}  // namespace dramaloc::dub
