#include "media/resample.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

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

TEST(Resample, IsZeroPhaseAnImpulseLandsWhereItWas) {
    for (const auto& [from, to] : {std::pair{22050, 48000}, std::pair{48000, 16000}, std::pair{44100, 48000}}) {
        media::AudioBuffer in = media::make_silence(from, 1, 1000);
        const std::size_t at = static_cast<std::size_t>(from / 4);  // about 250 ms in
        in.samples[at] = 1.0f;
        const media::AudioBuffer out = resample(in, to);
        std::size_t peak = 0;
        for (std::size_t i = 0; i < out.samples.size(); ++i)
            if (std::abs(out.samples[i]) > std::abs(out.samples[peak])) peak = i;
        EXPECT_EQ(peak, static_cast<std::size_t>(std::lround(static_cast<double>(at) * to / from))) << from << " -> " << to;
    }
}

TEST(StreamResampler, BlockByBlockIsTheWholeBufferAndDownmixAverages) {
    media::AudioBuffer in = media::make_sine(300, 2000, 48000, 2, 0.5f);
    for (SampleCount i = 0; i < in.frames(); ++i) in.samples[static_cast<std::size_t>(2 * i + 1)] *= -1.0f;  // opposite channels
    StreamResampler whole(48000, 2, 16000, 1), blocks(48000, 2, 16000, 1);
    std::vector<float> a, b;
    const auto take = [](std::vector<float>& to, std::span<const float> s) { to.insert(to.end(), s.begin(), s.end()); };
    take(a, whole.push(in.samples));
    take(a, whole.flush());
    for (std::size_t at = 0; at < in.samples.size(); at += 2 * 997)
        take(b, blocks.push(std::span<const float>(in.samples).subspan(at, std::min<std::size_t>(2 * 997, in.samples.size() - at))));
    take(b, blocks.flush());
    ASSERT_EQ(a.size(), 32000u);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-6f) << i;
    // Opposite channels average to silence (summing at -3 dB each would not).
    double energy = 0;
    for (const float v : a) energy += static_cast<double>(v) * v;
    EXPECT_LT(energy, 1e-6);
    EXPECT_THROW(StreamResampler(0, 1, 16000, 1), InputError);
}

}  // namespace
}  // namespace dramaloc::media
