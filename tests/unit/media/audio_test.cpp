#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "media/audio.hpp"

using namespace dramaloc;
using namespace dramaloc::media;

TEST(AudioBuffer, FramesAndDuration) {
    const AudioBuffer tone = make_sine(440.0, 1500, 48000, 2);
    EXPECT_EQ(tone.frames(), 72000);
    EXPECT_EQ(tone.samples.size(), 144000u);
    EXPECT_EQ(tone.duration_ms(), 1500);
    EXPECT_NEAR(rms(tone), 0.5 / std::sqrt(2.0), 1e-3);
}

TEST(AudioBuffer, MixToMonoAverages) {
    AudioBuffer stereo;
    stereo.channels = 2;
    stereo.samples = {1.0f, 0.0f, 0.5f, -0.5f};
    const AudioBuffer mono = mix_to_mono(stereo);
    EXPECT_EQ(mono.channels, 1);
    EXPECT_EQ(mono.samples, (std::vector<float>{0.5f, 0.0f}));
}

TEST(AudioBuffer, AppendSilenceAndSlice) {
    AudioBuffer a = make_sine(100.0, 1000, 16000, 1);
    append_silence(a, 500);
    EXPECT_EQ(a.duration_ms(), 1500);
    const AudioBuffer tail = slice_ms(a, 1000, 2000);  // clamped at the end
    EXPECT_EQ(tail.frames(), 8000);
    EXPECT_EQ(rms(tail), 0.0);
    EXPECT_TRUE(slice_ms(a, 5000, 6000).empty());
    append(a, make_silence(16000, 1, 250));
    EXPECT_EQ(a.duration_ms(), 1750);
    EXPECT_THROW(append(a, make_silence(48000, 1, 10)), InputError);
}
