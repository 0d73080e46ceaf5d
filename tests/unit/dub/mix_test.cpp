#include "dub/mix.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "dub/loudness.hpp"
#include "media/wav.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace fs = std::filesystem;

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

namespace dramaloc::dub {
namespace {

TEST(StreamingMix, WritesTheSameMixAsTheInMemoryOneAndReportsItsLoudness) {
    // A stereo original with loud peaks (so the limiter works), speech regions and two clips.
    media::AudioBuffer centre = media::make_sine(220, 9000, kRate, 1, 0.3f);
    const media::AudioBuffer side = media::make_sine(3000, 9000, kRate, 1, 0.05f);
    for (int burst = 0; burst < 5; ++burst)
        for (SampleCount i = 0; i < 200; ++i) centre.samples[static_cast<std::size_t>(kRate + burst * 70000 + i)] = 0.99f;
    const media::AudioBuffer original = stereo_of(centre, side);
    const media::AudioBuffer clip1 = media::make_sine(600, 1500, 22050, 1, 0.4f);
    const media::AudioBuffer clip2 = media::make_sine(900, 800, 22050, 1, 0.2f);
    const std::vector<ClipPlacement> clips = {{1000, &clip1}, {5000, &clip2}};
    const std::vector<SpeechRegionMs> speech = {{900, 2600}, {4900, 6000}};

    test::TempDir dir;
    media::write_wav(dir / "original.wav", original, media::WavSampleFormat::Float32);
    const auto result = mix_dub_to_wav(dir / "original.wav", speech, clips, nullptr, {}, dir / "dub.wav");
    const media::AudioBuffer streamed = media::read_wav(dir / "dub.wav");
    const media::AudioBuffer in_memory = mix_dub(original, speech, clips, nullptr, {});
    ASSERT_EQ(streamed.frames(), in_memory.frames());
    ASSERT_EQ(streamed.channels, 2);
    double worst = 0;
    for (std::size_t i = 0; i < streamed.samples.size(); ++i)
        worst = std::max(worst, static_cast<double>(std::abs(streamed.samples[i] - in_memory.samples[i])));
    EXPECT_LT(worst, 2.0 / 32768.0);  // 16-bit rounding only

    // What it reports is what an independent measurement of the file says.
    const auto measured = measure_loudness(streamed);
    EXPECT_NEAR(result.after.integrated_lufs, measured.integrated_lufs, 0.05);
    EXPECT_NEAR(result.after.true_peak_dbtp, measured.true_peak_dbtp, 0.05);
    EXPECT_NEAR(measured.integrated_lufs, -16.0, 1.0);
    EXPECT_LE(measured.true_peak_dbtp, -1.0 + 0.1);
    EXPECT_EQ(test::list_files(dir.path()).size(), 2u) << "a pass left a temporary behind";
}

TEST(StreamingMix, StemsAreTheBackgroundAndTheClipsAtTheMixGainAndAddUpToIt) {
    // A quiet original (so the limiter does not act) with speech, and one clip inside it.
    const media::AudioBuffer centre = media::make_sine(220, 6000, kRate, 1, 0.05f);
    const media::AudioBuffer side = media::make_sine(3000, 6000, kRate, 1, 0.01f);
    const media::AudioBuffer original = stereo_of(centre, side);
    const media::AudioBuffer clip = media::make_sine(600, 1500, kRate, 1, 0.05f);
    const std::vector<ClipPlacement> clips = {{2000, &clip}};
    const std::vector<SpeechRegionMs> speech = {{1900, 3600}};
    test::TempDir dir;
    media::write_wav(dir / "original.wav", original, media::WavSampleFormat::Float32);
    const StemFiles stems{dir / "me.wav", dir / "dialogue.wav"};
    const auto result = mix_dub_to_wav(dir / "original.wav", speech, clips, nullptr, {}, dir / "dub.wav", &stems);
    ASSERT_FALSE(result.limited);
    const media::AudioBuffer mix = media::read_wav(dir / "dub.wav");
    const media::AudioBuffer me = media::read_wav(stems.music_effects);
    const media::AudioBuffer dialogue = media::read_wav(stems.dialogue);
    ASSERT_EQ(me.frames(), mix.frames());
    ASSERT_EQ(dialogue.frames(), mix.frames());
    double worst = 0;
    for (std::size_t i = 0; i < mix.samples.size(); ++i)
        worst = std::max(worst, static_cast<double>(std::abs(me.samples[i] + dialogue.samples[i] - mix.samples[i])));
    EXPECT_LT(worst, 3.0 / 32768.0) << "16-bit rounding of three files only";
    // The dialogue stem is silent outside the clip; the M&E stem is ducked inside the speech.
    EXPECT_LT(db(rms_ms(dialogue, 500, 1500)), -90.0);
    EXPECT_GT(db(rms_ms(dialogue, 2200, 3200)), -40.0);
    EXPECT_LT(db(rms_ms(me, 2200, 3200)), db(rms_ms(me, 4500, 5500)) - 6.0);
    EXPECT_GT(db(rms_ms(me, 4500, 5500)), -40.0);
}

TEST(StreamingMix, AMissingOriginalIsAClearErrorAndWritesNothing) {
    test::TempDir dir;
    EXPECT_THROW(mix_dub_to_wav(dir / "none.wav", {}, {}, nullptr, {}, dir / "dub.wav"), InputError);
    EXPECT_TRUE(test::list_files(dir.path()).empty());
}

TEST(PeakLimiter, BlockByBlockIsExactlyTheWholeBuffer) {
    media::AudioBuffer audio = media::make_sine(440, 2000, kRate, 2, 0.5f);
    for (std::size_t i = 1000; i < audio.samples.size(); i += 9973) audio.samples[i] = (i % 2 ? 1.4f : -1.2f);
    media::AudioBuffer whole = audio;
    limit_peaks(whole, 0.8);
    PeakLimiter limiter(2, kRate, 0.8);
    std::vector<float> out;
    for (std::size_t at = 0; at < audio.samples.size();) {
        const std::size_t n = std::min<std::size_t>(2 * (1 + at % 997), audio.samples.size() - at);  // uneven blocks
        limiter.push(std::span<const float>(audio.samples.data() + at, n), out);
        at += n;
    }
    limiter.flush(out);
    ASSERT_EQ(out.size(), whole.samples.size());
    EXPECT_EQ(out, whole.samples);
    EXPECT_TRUE(limiter.limited());
    for (float v : out) EXPECT_LE(std::abs(v), 0.8f + 1e-6f);
}

}  // namespace
}  // namespace dramaloc::dub
