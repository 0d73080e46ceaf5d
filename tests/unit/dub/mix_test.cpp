#include "dub/mix.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "dub/loudness.hpp"
#include "support/signals.hpp"

namespace dramaloc::dub {
namespace {

using test::db;
using test::rms_ms;
constexpr int kRate = 48000;

// L = centre + side, R = centre - side.
media::AudioBuffer stereo_of(const media::AudioBuffer& centre, const media::AudioBuffer& side) {
    media::AudioBuffer out;
    out.sample_rate = kRate;
    out.channels = 2;
    for (SampleCount i = 0; i < centre.frames(); ++i) {
        const float c = centre.samples[static_cast<std::size_t>(i)];
        const float s = side.samples[static_cast<std::size_t>(i)];
        out.samples.push_back(c + s);
        out.samples.push_back(c - s);
    }
    return out;
}

TEST(Mix, DucksInsideRegionsAndLeavesFarOutsideUntouched) {
    const media::AudioBuffer original = media::make_sine(440, 6000, kRate, 1, 0.1f);
    const media::AudioBuffer out = mix_dub(original, {{2000, 4000}}, {}, nullptr, {});
    ASSERT_EQ(out.channels, 2);
    ASSERT_EQ(out.sample_rate, kRate);
    ASSERT_EQ(out.frames(), original.frames());
    const double gain = rms_ms(out, 0, 1500) / rms_ms(original, 0, 1500);  // loudness normalisation
    for (int ch = 0; ch < 2; ++ch) {
        EXPECT_NEAR(db(rms_ms(out, 2000, 4000, ch) / rms_ms(original, 2000, 4000)) - db(gain), -24.0, 0.3);
        EXPECT_NEAR(db(rms_ms(out, 4500, 6000, ch) / rms_ms(original, 4500, 6000)) - db(gain), 0.0, 0.05);
    }
    // Far outside, the waveform is the original times one constant gain.
    double worst = 0;
    for (SampleCount i = 0; i < ms_to_samples(1900, kRate); ++i) {
        const auto k = static_cast<std::size_t>(i);
        worst = std::max(worst, std::abs(out.samples[2 * k] - gain * original.samples[k]));
    }
    EXPECT_LT(worst, 1e-4);
}

TEST(Mix, DuckingRampsHaveNoClicks) {
    const media::AudioBuffer original = media::make_sine(440, 4000, kRate, 1, 0.1f);
    MixOptions options;
    options.attack_ms = 20;  // steeper than default, still smooth
    const media::AudioBuffer out = mix_dub(original, {{1000, 1500}, {1600, 2500}}, {}, nullptr, options);
    const double gain = rms_ms(out, 3000, 4000) / rms_ms(original, 3000, 4000);
    // The sine's own largest step, scaled: a ramp adds next to nothing on top of it.
    EXPECT_LT(test::max_step(out, 0), 1.02 * gain * test::max_step(original));
    EXPECT_LT(test::max_step(out, 1), 1.02 * gain * test::max_step(original));
}

TEST(Mix, StereoCentreRemovalKeepsSidesAndRemovesTheCentre) {
    const media::AudioBuffer centre = media::make_sine(300, 3000, kRate, 1, 0.2f);
    const media::AudioBuffer side = media::make_sine(700, 3000, kRate, 1, 0.2f);
    const media::AudioBuffer silence = media::make_silence(kRate, 1, 3000);
    const std::vector<SpeechRegionMs> regions = {{1000, 2000}};

    const media::AudioBuffer sides_only = duck_background(stereo_of(silence, side), regions, {});
    EXPECT_NEAR(db(rms_ms(sides_only, 1100, 1900, 0) / rms_ms(sides_only, 0, 500, 0)), 0.0, 0.05);
    EXPECT_NEAR(db(rms_ms(sides_only, 1100, 1900, 1) / rms_ms(sides_only, 0, 500, 1)), 0.0, 0.05);

    const media::AudioBuffer centre_only = duck_background(stereo_of(centre, silence), regions, {});
    EXPECT_NEAR(db(rms_ms(centre_only, 1100, 1900, 0) / rms_ms(centre_only, 0, 500, 0)), -24.0, 0.3);

    MixOptions plain;
    plain.centre_removal_for_stereo = false;
    const media::AudioBuffer ducked_sides = duck_background(stereo_of(silence, side), regions, plain);
    EXPECT_NEAR(db(rms_ms(ducked_sides, 1100, 1900, 0) / rms_ms(ducked_sides, 0, 500, 0)), -24.0, 0.3);
}

TEST(Mix, ClipsStartAtTheirExactSampleOnBothChannels) {
    const media::AudioBuffer original = media::make_silence(kRate, 2, 5000);
    const media::AudioBuffer native = test::cosine(500, 500, kRate, 0.5f);
    const media::AudioBuffer resampled = test::cosine(500, 500, 24000, 0.5f);
    const media::AudioBuffer out =
        mix_dub(original, {}, {{1234, &native}, {3001, &resampled}}, nullptr, {});
    float peak = 0;
    for (const float s : out.samples) peak = std::max(peak, std::abs(s));
    for (int ch = 0; ch < 2; ++ch) {
        EXPECT_EQ(test::onset(out, 0, 1e-6f, ch), ms_to_samples(1234, kRate));  // nothing before the clip
        const SampleCount second = test::onset(out, ms_to_samples(2500, kRate), 0.2f * peak, ch);
        EXPECT_NEAR(static_cast<double>(second), static_cast<double>(ms_to_samples(3001, kRate)), 1.0);
    }
}

TEST(Mix, LoudnessOfTheMixIsOnTarget) {
    // Background: a centred "dialogue" tone and wide "music"; two dubbed lines over it.
    const media::AudioBuffer dialogue = test::voiced_tone(130, 8000, kRate, 0.3f);
    const media::AudioBuffer music = media::make_sine(220, 8000, kRate, 1, 0.05f);
    const media::AudioBuffer original = stereo_of(dialogue, music);
    const media::AudioBuffer line1 = test::voiced_tone(210, 1800, 22050, 0.4f);
    const media::AudioBuffer line2 = test::voiced_tone(190, 2500, 22050, 0.4f);
    MixOptions options;
    options.target_lufs = -16.0;
    const media::AudioBuffer out =
        mix_dub(original, {{1000, 3000}, {4000, 7000}}, {{1000, &line1}, {4200, &line2}}, nullptr, options);
    const LoudnessMeasurement m = measure_loudness(out);
    EXPECT_NEAR(m.integrated_lufs, -16.0, 1.0);
    EXPECT_LE(m.true_peak_dbtp, -1.0 + 1e-9);
    EXPECT_EQ(out.frames(), original.frames());
}

TEST(Mix, BackgroundStemReplacesTheDucking) {
    const media::AudioBuffer original = media::make_sine(440, 3000, kRate, 2, 0.3f);
    const media::AudioBuffer stem = media::make_sine(330, 3000, 44100, 1, 0.1f);
    const media::AudioBuffer out = mix_dub(original, {{1000, 2000}}, {}, &stem, {});
    ASSERT_EQ(out.frames(), original.frames());
    EXPECT_NEAR(db(rms_ms(out, 1100, 1900) / rms_ms(out, 100, 900)), 0.0, 0.1);  // not ducked
}

}  // namespace
}  // namespace dramaloc::dub
