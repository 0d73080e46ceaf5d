// Segments of unchanged text in the band's masks: what continues a segment and what ends it.
#include <gtest/gtest.h>

#include <random>

#include "hardsubs/segments.hpp"

using namespace dramaloc;
using namespace dramaloc::hardsubs;

namespace {

// A "line of text": blocks standing for characters, placed from `x` with the given pattern.
Mask text(int seed, int x0 = 20) {
    Mask m(200, 40);
    std::mt19937 rng(static_cast<unsigned>(seed));
    for (int c = 0; c < 6; ++c)
        for (int y = 10; y < 30; ++y)
            for (int x = x0 + 24 * c; x < x0 + 24 * c + 20; ++x)
                if (rng() % 3 == 0) m.at(x, y) = 1;  // a third of each character box is stroke
    return m;
}

// Background that looks like text here and there, different in every frame.
void add_noise(Mask& m, int seed, int pixels) {
    std::mt19937 rng(static_cast<unsigned>(seed));
    for (int i = 0; i < pixels; ++i) m.at(static_cast<int>(rng() % 200), static_cast<int>(rng() % 40)) = 1;
}

}  // namespace

TEST(Segments, TheSameTextOverAChangingBackgroundIsOneSegment) {
    SegmentTracker tracker(40);
    for (int i = 0; i < 20; ++i) {
        Mask m = text(1);
        add_noise(m, 100 + i, 400);  // as many pixels as the text has, changing every frame
        EXPECT_FALSE(tracker.feed(2 * i, m)) << "split at frame " << 2 * i;
    }
    const auto closed = tracker.finish(40);
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->segment.first_frame, 0);
    EXPECT_EQ(closed->end_frame, 40);
    EXPECT_EQ(closed->segment.frames_decoded, 20);
}

TEST(Segments, OtherTextInTheSamePlaceStartsANewSegment) {
    SegmentTracker tracker(40);
    for (int i = 0; i < 5; ++i) EXPECT_FALSE(tracker.feed(2 * i, text(1)));
    // Frame 10 shows another line: the first ends there, and the second starts after frame 8,
    // the last decoded frame that showed the first.
    const auto closed = tracker.feed(10, text(2));
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->segment.first_frame, 0);
    EXPECT_EQ(closed->end_frame, 10);
    ASSERT_TRUE(tracker.open());
    EXPECT_EQ(tracker.open()->first_frame, 9);
    EXPECT_EQ(tracker.open()->first_decoded, 10);
}

TEST(Segments, AnEmptyBandEndsTheSegmentAndTextAppearingOverNoiseStartsOne) {
    SegmentTracker tracker(40);
    for (int i = 0; i < 4; ++i) tracker.feed(i, text(1));
    Mask empty(200, 40);
    const auto closed = tracker.feed(4, empty);
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->end_frame, 4);
    EXPECT_FALSE(tracker.open());
    // A little background that looks like text opens a segment; a subtitle appearing over it
    // (many times the pixels) is new text, not the same.
    Mask speckle(200, 40);
    add_noise(speckle, 7, 60);
    EXPECT_FALSE(tracker.feed(5, speckle));
    EXPECT_FALSE(tracker.feed(6, speckle));
    Mask line = text(3);
    for (std::size_t i = 0; i < line.bits.size(); ++i) line.bits[i] |= speckle.bits[i];
    EXPECT_TRUE(tracker.feed(7, line));
    EXPECT_EQ(tracker.open()->first_decoded, 7);
}

TEST(Segments, RetainedShareCountsTheCoresPixels) {
    Mask core(10, 1), frame(10, 1);
    for (int x = 0; x < 4; ++x) core.at(x, 0) = 1;
    frame.at(0, 0) = frame.at(1, 0) = frame.at(9, 0) = 1;
    EXPECT_DOUBLE_EQ(retained_share(core, frame), 0.5);
    EXPECT_DOUBLE_EQ(retained_share(Mask(10, 1), frame), 1.0);
}
