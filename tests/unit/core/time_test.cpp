#include <gtest/gtest.h>

#include "core/time.hpp"

using namespace dramaloc;

TEST(Time, MsToSamplesRoundsExactly) {
    EXPECT_EQ(ms_to_samples(1000, 48000), 48000);
    EXPECT_EQ(ms_to_samples(1, 44100), 44);  // 44.1 -> 44
    EXPECT_EQ(ms_to_samples(10, 44100), 441);
    EXPECT_EQ(ms_to_samples(-1000, 16000), -16000);
}

TEST(Time, SamplesToMsRoundsHalfUp) {
    EXPECT_EQ(samples_to_ms(48000, 48000), 1000);
    EXPECT_EQ(samples_to_ms(24, 48000), 1);   // 0.5 ms -> 1
    EXPECT_EQ(samples_to_ms(23, 48000), 0);
}

TEST(Time, RoundTripIsStableOverAnHour) {
    for (TimeMs t = 0; t < 3'600'000; t += 997) EXPECT_EQ(samples_to_ms(ms_to_samples(t, 16000), 16000), t);
}

TEST(Time, FramesToMsNeverShortensAGap) {
    FrameRate ntsc{30000, 1001};
    EXPECT_EQ(ntsc.frames_to_ms_ceil(2), 67);  // 66.73 ms
    FrameRate f25{25, 1};
    EXPECT_EQ(f25.frames_to_ms_ceil(2), 80);
}

TEST(Time, FormatClock) {
    EXPECT_EQ(format_clock(3'723'004, ','), "01:02:03,004");
    EXPECT_EQ(format_clock(0), "00:00:00.000");
}

TEST(Time, ClocksAsPeopleWriteThemAreRead) {
    EXPECT_EQ(parse_clock("72.5"), 72'500);
    EXPECT_EQ(parse_clock("01:12"), 72'000);
    EXPECT_EQ(parse_clock("1:01:12,25"), 3'672'250);
    EXPECT_EQ(parse_clock(format_clock(3'723'004)), 3'723'004);
    for (const char* bad : {"", "1:99", "-3", "1.", "1.2345", "a:01", "1:2:3:4", "12:", ":12", "1e3"})
        EXPECT_FALSE(parse_clock(bad).has_value()) << bad;
}
