#pragma once
// What a stretch of speech sounds like, in a few numbers: the fundamental frequency of its
// voiced frames (YIN on an 8 kHz copy) and the spectral shape of those frames (centroid,
// low/high band tilt). Enough to tell voices apart when they differ in pitch; not a
// speaker embedding.
#include <span>
#include <vector>

namespace dramaloc::engines {

struct VoiceProfile {
    std::vector<double> f0_hz;        // one per voiced frame, in time order
    std::vector<long> frame_ms;       // when each voiced frame starts, from the start of the samples
    std::vector<double> frame_centroid_hz;  // per voiced frame
    std::vector<double> frame_tilt_db;      // per voiced frame
    double median_f0_hz = 0.0;
    double f0_spread_semitones = 0.0;  // interquartile range
    double centroid_hz = 0.0;          // mean spectral centroid (100–5000 Hz) of voiced frames
    double tilt_db = 0.0;              // 100–1000 Hz band over 1000–4000 Hz band, mean of voiced frames

    // Fewer voiced frames than this say too little about a voice.
    static constexpr std::size_t kMinVoicedFrames = 8;
    // Enough voiced frames, and voice-like: speech always has some intonation and some
    // energy above 1 kHz, a held note or a hum does not.
    bool usable() const { return f0_hz.size() >= kMinVoicedFrames && f0_spread_semitones >= 0.25 && tilt_db < 40.0; }
};

// Profile of mono 16 kHz samples (10 ms frames).
VoiceProfile measure_voice(std::span<const float> mono_16k);

// The profile of the voiced frames of `whole` that start in [from_ms, to_ms): a part of a
// line judged without measuring it again.
VoiceProfile part_of(const VoiceProfile& whole, long from_ms, long to_ms);

// Median of `f0s` (0 when empty).
double median_hz(std::vector<double> f0s);

// Semitones between two frequencies (absolute).
double semitones_between(double a_hz, double b_hz);

// Dissimilarity of two usable profiles, pitch dominant: 1.0 ≈ 3 semitones of median pitch,
// or 1500 Hz of centroid, or 20 dB of tilt (the spectral terms depend on the words too).
double voice_distance(const VoiceProfile& a, const VoiceProfile& b);

}  // namespace dramaloc::engines
