#include "media/resample.hpp"

#include <gtest/gtest.h>

#include "support/signals.hpp"

namespace dramaloc::media {
namespace {

int zero_crossings(const media::AudioBuffer& a) {
    int count = 0;
    for (std::size_t i = 1; i < a.samples.size(); ++i) count += (a.samples[i - 1] < 0) != (a.samples[i] < 0) ? 1 : 0;
    return count;
}

TEST(Resample, KeepsFrequencyLevelAndLength) {
    const media::AudioBuffer in = media::make_sine(440, 1000, 22050, 1, 0.5f);
    const media::AudioBuffer out = resample(in, 48000);
    EXPECT_EQ(out.sample_rate, 48000);
    EXPECT_EQ(out.frames(), 48000);
    EXPECT_NEAR(zero_crossings(out), 880, 2);
    // Level in the middle (the ends see the filter's edge).
    EXPECT_NEAR(test::db(test::rms_ms(out, 100, 900) / test::rms_ms(in, 100, 900)), 0.0, 0.05);
}

TEST(Resample, RejectsWhatWouldAlias) {
    const media::AudioBuffer in = media::make_sine(10000, 500, 48000, 1, 0.5f);
    const media::AudioBuffer out = resample(in, 16000);  // 10 kHz is above the new Nyquist
    EXPECT_EQ(out.frames(), 8000);
    EXPECT_LT(test::db(test::rms_ms(out, 50, 450) / test::rms_ms(in, 50, 450)), -60.0);
}

TEST(Resample, StereoChannelsStayApartAndSameRateIsACopy) {
    media::AudioBuffer in = media::make_sine(1000, 200, 44100, 2, 0.5f);
    for (SampleCount i = 0; i < in.frames(); ++i) in.samples[static_cast<std::size_t>(2 * i + 1)] = 0.0f;
    const media::AudioBuffer out = resample(in, 48000);
    EXPECT_GT(test::rms_frames(out, 0, out.frames(), 0), 0.3);
    EXPECT_EQ(test::rms_frames(out, 0, out.frames(), 1), 0.0);
    EXPECT_EQ(resample(in, 44100).samples, in.samples);
}

}  // namespace
}  // namespace dramaloc::media
