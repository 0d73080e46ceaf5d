#include "dub/loudness.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/signals.hpp"

namespace dramaloc::dub {
namespace {

TEST(Loudness, SineNormalisedToTargetMeasuresOnTarget) {
    media::AudioBuffer sine = media::make_sine(1000, 3000, 48000, 2, 0.05f);
    const NormalizeResult r = normalize_loudness(sine, -16.0, -1.0);
    EXPECT_LT(r.before.integrated_lufs, -25.0);
    const LoudnessMeasurement m = measure_loudness(sine);
    EXPECT_NEAR(m.integrated_lufs, -16.0, 0.5);
    EXPECT_LE(m.true_peak_dbtp, -1.0);
    EXPECT_FALSE(r.limited);
    EXPECT_NEAR(r.after.integrated_lufs, m.integrated_lufs, 1e-9);
}

TEST(Loudness, PeaksAreLimitedToTheTruePeakCeiling) {
    // Quiet speech-like tone with sparse near-full-scale clicks: the gain to -14 LUFS would
    // push the clicks far over the ceiling.
    media::AudioBuffer audio = test::voiced_tone(150, 4000, 48000, 0.1f);
    for (std::size_t i = 4800; i < audio.samples.size(); i += 24000) audio.samples[i] = 0.95f;
    const NormalizeResult r = normalize_loudness(audio, -14.0, -1.0);
    EXPECT_TRUE(r.limited);
    const LoudnessMeasurement m = measure_loudness(audio);
    EXPECT_LE(m.true_peak_dbtp, -1.0);
    EXPECT_NEAR(m.integrated_lufs, -14.0, 1.0);
}

TEST(Loudness, ALimitedSignalStillReachesTheTargetLoudness) {
    // Speech-like tone whose peaks stand far over its loudness: the limiter takes loudness
    // away, and the gain makes it up.
    media::AudioBuffer audio = test::voiced_tone(150, 6000, 48000, 0.05f);
    for (std::size_t i = 2400; i < audio.samples.size(); i += 4800)
        for (std::size_t k = 0; k < 240 && i + k < audio.samples.size(); ++k) audio.samples[i + k] *= 5.0f;
    const NormalizeResult r = normalize_loudness(audio, -16.0, -1.0);
    EXPECT_TRUE(r.limited);
    const LoudnessMeasurement m = measure_loudness(audio);
    EXPECT_NEAR(m.integrated_lufs, -16.0, 0.1);
    EXPECT_LE(m.true_peak_dbtp, -1.0);
    EXPECT_GT(r.gain_db, -16.0 - r.before.integrated_lufs + 0.1) << "more gain than the unlimited signal needs";
}

TEST(Loudness, LimiterRampsInsteadOfClipping) {
    media::AudioBuffer audio = media::make_sine(200, 1000, 48000, 1, 0.9f);
    limit_peaks(audio, 0.5);
    float peak = 0;
    for (const float s : audio.samples) peak = std::max(peak, std::abs(s));
    EXPECT_LE(peak, 0.5f + 1e-6f);
    // A 200 Hz sine of peak 0.5 moves at most 0.5 * 2π·200/48000 ≈ 0.013 per sample.
    EXPECT_LT(test::max_step(audio), 0.025);
}

TEST(Loudness, SpeechGatedLoudnessMeasuresOnlyTheSpeech) {
    // 2 s of a tone (the "speech") between 4 s of one 6 dB quieter (inside BS.1770's relative
    // gate, so the programme's integrated loudness counts it).
    media::AudioBuffer audio = media::make_sine(440, 6000, 48000, 1, 0.15f);
    const media::AudioBuffer loud = media::make_sine(440, 2000, 48000, 1, 0.3f);
    std::copy(loud.samples.begin(), loud.samples.end(), audio.samples.begin() + 2 * 48000);
    const double speech_only = measure_loudness(loud).integrated_lufs;
    EXPECT_NEAR(measure_speech_loudness(audio, {{2000, 4000}}), speech_only, 0.2);
    EXPECT_LT(measure_loudness(audio).integrated_lufs, speech_only - 1.0) << "the whole is quieter than its speech";
    EXPECT_NEAR(measure_integrated_loudness(audio), measure_loudness(audio).integrated_lufs, 1e-9) << "the same figure, without the true peak";
    // Overlapping regions count once; regions past the end are cut; too little speech is -inf.
    EXPECT_NEAR(measure_speech_loudness(audio, {{2000, 3500}, {3000, 4000}, {7000, 9000}}), speech_only, 0.2);
    EXPECT_TRUE(std::isinf(measure_speech_loudness(audio, {{2000, 2100}})));
    EXPECT_TRUE(std::isinf(measure_speech_loudness(audio, {})));
}

TEST(Loudness, SilenceIsLeftAlone) {
    media::AudioBuffer silence = media::make_silence(48000, 2, 1000);
    const NormalizeResult r = normalize_loudness(silence);
    EXPECT_TRUE(std::isinf(r.before.integrated_lufs));
    EXPECT_EQ(r.gain_db, 0.0);
    for (const float s : silence.samples) ASSERT_EQ(s, 0.0f);
}

}  // namespace
}  // namespace dramaloc::dub
