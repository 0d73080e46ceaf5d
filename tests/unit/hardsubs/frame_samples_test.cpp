// The full-resolution frames kept for OCR: rows copied as coded, kept in frame order, cut to
// the band, found by frame and rows, and thinned evenly within their budget.
#include <gtest/gtest.h>

#include <numeric>

#include "hardsubs/frame_samples.hpp"

using namespace dramaloc::hardsubs;

namespace {

struct Frame {
    int width = 16, height = 12;
    std::vector<std::uint8_t> y, u, v;
    explicit Frame(std::uint8_t base) : y(16 * 12), u(8 * 6), v(8 * 6) {
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<std::uint8_t>(base + i / 16);  // luma = base + row
        for (std::size_t i = 0; i < u.size(); ++i) u[i] = static_cast<std::uint8_t>(100 + i / 8), v[i] = static_cast<std::uint8_t>(150 + i / 8);
    }
    FrameSample rows(std::int64_t index, int y0, int y1) const { return copy_rows(index, y.data(), u.data(), v.data(), width, height, y0, y1); }
};

}  // namespace

TEST(FrameSamples, CopiesRowsAsCodedWithTheirChroma) {
    const Frame f(10);
    const FrameSample s = f.rows(5, 3, 9);  // rounded out to even rows: 2..10
    EXPECT_EQ(s.y0, 2);
    EXPECT_EQ(s.y1, 10);
    EXPECT_EQ(s.luma_at(0, 2), 12);
    EXPECT_EQ(s.luma_at(15, 9), 19);
    EXPECT_EQ(s.u_at(0, 2), 101);  // chroma row 1
    EXPECT_EQ(s.v_at(15, 9), 154);
}

TEST(FrameSamples, KeptInFrameOrderCutToTheBandAndFoundByFrameAndRows) {
    SamplePool pool(1 << 20);
    const Frame f(10);
    pool.add(f.rows(10, 0, 12));
    pool.add(f.rows(30, 0, 12));
    pool.add(f.rows(20, 4, 8));  // decoded again later, for a subtitle no kept frame showed
    EXPECT_EQ(pool.covering(0, 100, 4, 8).size(), 3u);
    const auto found = pool.covering(15, 31, 2, 8);
    ASSERT_EQ(found.size(), 1u);  // frame 20 does not hold rows 2..4
    EXPECT_EQ(found[0]->index, 30);
    pool.keep_rows(6, 10);
    EXPECT_EQ(pool.covering(0, 100, 6, 10).size(), 2u);  // frame 20 kept rows 4..8 only
    EXPECT_EQ(pool.covering(0, 100, 6, 8).size(), 3u);
    EXPECT_EQ(pool.covering(0, 100, 6, 8)[0]->luma_at(3, 6), 16);
    EXPECT_EQ(pool.bytes(), 2 * (16 * 4 + 2 * 8 * 2) + (16 * 2 + 2 * 8 * 1));
}

TEST(FrameSamples, OverTheBudgetCoverageThinsEvenly) {
    const Frame f(0);
    const std::size_t one = f.rows(0, 0, 12).bytes();
    SamplePool pool(10 * one);
    for (int i = 0; i < 40; ++i) pool.add(f.rows(i, 0, 12));
    EXPECT_LE(pool.bytes(), 10 * one);
    EXPECT_GT(pool.thinned(), 0);
    // Samples are left from the whole stretch, the newest and the oldest alike.
    EXPECT_FALSE(pool.covering(0, 10, 0, 12).empty());
    EXPECT_FALSE(pool.covering(30, 40, 0, 12).empty());
}
