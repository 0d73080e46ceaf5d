#pragma once
// Loudness to EBU R 128 / ITU-R BS.1770 with libebur128: integrated loudness (LUFS) and
// true peak (dBTP, 4× oversampled), and normalisation to a delivery target with a
// true-peak-safe look-ahead limiter.
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "core/time.hpp"
#include "media/audio.hpp"

namespace dramaloc::dub {

struct LoudnessMeasurement {
    double integrated_lufs = 0.0;  // -infinity for silence or audio shorter than one 400 ms block
    double true_peak_dbtp = 0.0;   // -infinity for digital silence
};

// Throws InputError for an empty format (no channels / rate), EngineError if libebur128 fails.
LoudnessMeasurement measure_loudness(const media::AudioBuffer& audio);

// A stretch of time with speech in it, [start, end) in ms. (dub does not depend on engines,
// so it has its own type rather than the VAD's.)
struct SpeechRegionMs {
    TimeMs start = 0;
    TimeMs end = 0;
};

// Loudness gated on speech (the way streaming specs gate on dialogue): the integrated
// loudness (BS.1770, its own gates too) of the parts of `audio` inside `speech`, joined end to
// end, in LUFS/LKFS. -infinity when the speech is under 400 ms. (No true peak: that is the
// whole signal's, which measure_loudness gives.)
double measure_speech_loudness(const media::AudioBuffer& audio, const std::vector<SpeechRegionMs>& speech);

// The integrated loudness alone (no 4x-oversampled true-peak pass), LUFS; -infinity for silence.
double measure_integrated_loudness(const media::AudioBuffer& audio);

struct NormalizeResult {
    LoudnessMeasurement before;
    LoudnessMeasurement after;
    double gain_db = 0.0;   // applied before limiting
    bool limited = false;   // the limiter had to act to keep the true peak under the ceiling
};

// Applies gain so the integrated loudness is `target_lufs`, then limits so the true peak is
// at most `max_true_peak_dbtp`. Silence is left alone. Deterministic.
NormalizeResult normalize_loudness(media::AudioBuffer& audio, double target_lufs = -16.0,
                                   double max_true_peak_dbtp = -1.0);

// Look-ahead limiter (linked channels): gain never rises above 1, attacks over `lookahead_ms`
// before each peak (a linear ramp, no clicks) and recovers over ~release_ms. Keeps every
// sample peak at or under `ceiling` (linear).
void limit_peaks(media::AudioBuffer& audio, double ceiling, double lookahead_ms = 2.0, double release_ms = 60.0);

// Measures a signal fed to it in blocks (interleaved frames).
class LoudnessMeter {
public:
    enum class Measure { Both, Loudness, TruePeak };
    // Loudness only is cheap; true peak is 4x oversampled (costly) and per channel, so one
    // meter per channel can measure it beside another (result(): the other figure -infinity).
    LoudnessMeter(int channels, int sample_rate, Measure measure = Measure::Both);
    ~LoudnessMeter();
    LoudnessMeter(const LoudnessMeter&) = delete;
    LoudnessMeter& operator=(const LoudnessMeter&) = delete;
    void add(std::span<const float> interleaved);
    LoudnessMeasurement result() const;

private:
    struct State;  // libebur128's, whose type cannot be declared ahead
    int channels_;
    Measure measure_;
    SampleCount frames_ = 0;
    std::unique_ptr<State> state_;
};

// limit_peaks in blocks: output lags input by the look-ahead; flush() releases the rest.
// Fed the same signal, it produces exactly what limit_peaks does.
class PeakLimiter {
public:
    PeakLimiter(int channels, int sample_rate, double ceiling, double lookahead_ms = 2.0, double release_ms = 60.0);
    // Appends to `out` the frames that are ready.
    void push(std::span<const float> interleaved, std::vector<float>& out);
    void flush(std::vector<float>& out);
    bool limited() const { return limited_; }  // the gain went below 1 somewhere

private:
    void emit(double minimum, std::vector<float>& out);
    std::size_t channels_;
    double ceiling_;
    std::size_t look_;
    double recover_;
    std::deque<float> delayed_;                    // input samples not yet output
    std::deque<std::pair<std::size_t, double>> window_;  // (frame, need): increasing need
    std::deque<double> minima_;                    // the last look+1 window minima
    std::size_t pushed_ = 0;                       // frames in
    std::size_t emitted_ = 0;                      // frames out
    double first_minimum_ = 1.0;
    double sum_ = 0.0;
    double gain_ = 1.0;
    bool limited_ = false;
};

// normalize_loudness for a signal too long to hold in memory. `replay(sink)` plays the whole
// signal from its start into `sink`, in blocks of any size; it is called once per pass
// (usually two: one to measure, one to write). Each pass writes its result into a new output from `open_output`; the last
// one is kept (keep()), the others are dropped unfinished.
class StreamOutput {
public:
    virtual ~StreamOutput() = default;
    virtual void write(std::span<const float> interleaved) = 0;
    virtual void keep() = 0;
};
using BlockSink = std::function<void(std::span<const float>)>;
NormalizeResult normalize_loudness_streaming(int channels, int sample_rate, const std::function<void(const BlockSink&)>& replay,
                                             const std::function<std::unique_ptr<StreamOutput>()>& open_output,
                                             double target_lufs = -16.0, double max_true_peak_dbtp = -1.0);

}  // namespace dramaloc::dub
