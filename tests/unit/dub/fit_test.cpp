#include "dub/fit.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "engines/tts.hpp"
#include "support/signals.hpp"

namespace dramaloc::dub {
namespace {

using test::voiced_tone;
constexpr int kRate = 48000;

TEST(FitClip, CompressesTwoSecondsIntoAShorterSlotExactly) {
    const media::AudioBuffer clip = voiced_tone(200, 2000, kRate);
    const FitResult r = fit_clip_to_slot(clip, 1800, 0, {});
    EXPECT_TRUE(r.fits);
    EXPECT_EQ(r.audio.frames(), ms_to_samples(1800, kRate));
    EXPECT_NEAR(r.speed, 2.0 / 1.8, 0.002);
    EXPECT_EQ(r.borrowed_ms, 0);
    EXPECT_EQ(r.overflow_ms, 0);
    EXPECT_EQ(r.audio.sample_rate, kRate);
    EXPECT_EQ(r.audio.channels, 1);
}

TEST(FitClip, KeepsAShortClipAtItsPaceAfterTrimmingSilence) {
    media::AudioBuffer clip = media::make_silence(kRate, 1, 300);
    media::append(clip, voiced_tone(200, 1000, kRate));
    media::append_silence(clip, 400);
    const FitResult r = fit_clip_to_slot(clip, 2000, 0, {});
    EXPECT_TRUE(r.fits);
    EXPECT_DOUBLE_EQ(r.speed, 1.0);
    // 1 s of voice plus at most 5 ms of margin on each side.
    EXPECT_GE(r.audio.frames(), ms_to_samples(990, kRate));
    EXPECT_LE(r.audio.frames(), ms_to_samples(1010, kRate));

    FitBounds fill;
    fill.fill_slot = true;
    const FitResult filled = fit_clip_to_slot(clip, 1100, 0, fill);
    EXPECT_EQ(filled.audio.frames(), ms_to_samples(1100, kRate));  // slowed just enough to end with the slot
    EXPECT_GT(filled.speed, 0.85);
    EXPECT_LT(filled.speed, 1.0);
    const FitResult floor = fit_clip_to_slot(clip, 3000, 0, fill);
    EXPECT_NEAR(floor.speed, 0.85, 0.001);  // never slower than min_speed
}

TEST(FitClip, BorrowsSilenceAfterTheSlotWhenMaxSpeedIsNotEnough) {
    const media::AudioBuffer clip = voiced_tone(200, 3000, kRate);  // needs 1.5x for a 2 s slot
    const FitResult r = fit_clip_to_slot(clip, 2000, 500, {});
    EXPECT_TRUE(r.fits);
    EXPECT_NEAR(r.speed, 1.30, 0.001);
    EXPECT_NEAR(static_cast<double>(r.borrowed_ms), 3000 / 1.3 - 2000, 1.0);
    EXPECT_EQ(r.overflow_ms, 0);
    // Exact in samples: the clip at max speed (rounded up so the bound holds).
    EXPECT_EQ(r.audio.frames(), static_cast<SampleCount>(std::ceil(3.0 * kRate / 1.3)));
}

TEST(FitClip, ImpossibleFitIsAResultWithTheOverflow) {
    const media::AudioBuffer clip = voiced_tone(200, 4000, kRate);
    const FitResult r = fit_clip_to_slot(clip, 2000, 200, {});
    EXPECT_FALSE(r.fits);
    EXPECT_NEAR(r.speed, 1.30, 0.001);
    EXPECT_EQ(r.borrowed_ms, 200);
    EXPECT_NEAR(static_cast<double>(r.overflow_ms), 4000 / 1.3 - 2200, 1.0);
}

TEST(FitClip, CompressionPreservesPitchAndLevel) {
    const media::AudioBuffer clip = voiced_tone(200, 2000, kRate);
    const FitResult r = fit_clip_to_slot(clip, 1600, 0, {});  // 1.25x
    const double before = test::median_f0(clip, 100, 400);
    const double after = test::median_f0(r.audio, 100, 400);
    EXPECT_NEAR(before, 200, 2);
    EXPECT_NEAR(after / before, 1.0, 0.05) << "F0 before " << before << " Hz, after " << after << " Hz";
    EXPECT_NEAR(test::db(media::rms(r.audio) / media::rms(clip)), 0.0, 1.5);
}

TEST(FitClip, IsDeterministic) {
    const media::AudioBuffer clip = voiced_tone(180, 1500, kRate);
    const FitResult a = fit_clip_to_slot(clip, 1200, 0, {});
    const FitResult b = fit_clip_to_slot(clip, 1200, 0, {});
    EXPECT_EQ(a.audio.samples, b.audio.samples);
}

TEST(FitClip, FitsRealSpeechToTheSample) {
    const auto tts = engines::make_synthesizer("espeak");
    const media::AudioBuffer speech = tts->synthesize("Where were you last night? I waited for hours.", {"en", "", 0, 0, {}, {}});
    const FrameSpan span = speech_span(speech);
    const TimeMs natural = samples_to_ms(span.last - span.first, speech.sample_rate);
    const TimeMs slot = natural * 85 / 100;
    const FitResult r = fit_clip_to_slot(speech, slot, 0, {});
    EXPECT_TRUE(r.fits);
    EXPECT_EQ(r.audio.frames(), ms_to_samples(slot, speech.sample_rate));
    EXPECT_NEAR(r.speed, 1.0 / 0.85, 0.01);
    EXPECT_GT(media::rms(r.audio), 0.3 * media::rms(speech));
}

TEST(FitClip, SilenceFitsAnywhereAndBadInputsAreRejected) {
    const FitResult r = fit_clip_to_slot(media::make_silence(kRate, 1, 500), 100, 0, {});
    EXPECT_TRUE(r.fits);
    EXPECT_EQ(r.audio.frames(), 0);
    EXPECT_THROW(fit_clip_to_slot(voiced_tone(200, 100, kRate), -1, 0, {}), InputError);
    FitBounds bad;
    bad.max_speed = 0.5;
    EXPECT_THROW(fit_clip_to_slot(voiced_tone(200, 100, kRate), 100, 0, bad), InputError);
}

}  // namespace
}  // namespace dramaloc::dub
