#pragma once
// Loudness to EBU R 128 / ITU-R BS.1770 with libebur128: integrated loudness (LUFS) and
// true peak (dBTP, 4× oversampled), and normalisation to a delivery target with a
// true-peak-safe look-ahead limiter.
#include "media/audio.hpp"

namespace dramaloc::dub {

struct LoudnessMeasurement {
    double integrated_lufs = 0.0;  // -infinity for silence or audio shorter than one 400 ms block
    double true_peak_dbtp = 0.0;   // -infinity for digital silence
};

// Throws InputError for an empty format (no channels / rate), EngineError if libebur128 fails.
LoudnessMeasurement measure_loudness(const media::AudioBuffer& audio);

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

}  // namespace dramaloc::dub
