#include <gtest/gtest.h>

#include "frames.hpp"
#include "hardsubs/text_mask.hpp"

using namespace dramaloc;
using namespace dramaloc::hardsubs;

namespace {

void fill_rect(test::TestFrame& f, int x0, int y0, int w, int h, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    for (int y = y0; y < y0 + h; ++y)
        for (int x = x0; x < x0 + w; ++x) {
            std::uint8_t* p = f.row(y) + x * 3;
            p[0] = r, p[1] = g, p[2] = b;
        }
}

RgbView view(const test::TestFrame& f) { return {f.rgb.data(), f.width, f.height, f.stride()}; }

}  // namespace

TEST(TextMask, KeepsWhiteStrokesWithADarkOutlineOnly) {
    auto f = test::noisy_frame(200, 100);
    // An outlined white bar (subtitle-like), a white bar without outline, an outlined yellow bar.
    // Bars 6 px thick, like a stroke, with a 4 px outline where there is one.
    fill_rect(f, 10, 10, 40, 14, 0, 0, 0);
    fill_rect(f, 14, 14, 32, 6, 255, 255, 255);
    fill_rect(f, 80, 14, 32, 6, 255, 255, 255);
    fill_rect(f, 140, 10, 40, 14, 0, 0, 0);
    fill_rect(f, 144, 14, 32, 6, 250, 220, 40);
    TextMaskOptions o;
    o.outline_radius = 4;
    const Mask m = text_mask(view(f), o);
    ASSERT_EQ(m.width, 200);
    EXPECT_EQ(m.at(30, 17), 1);  // outlined white
    EXPECT_EQ(m.at(96, 17), 0);  // white without outline: a highlight, not text
    EXPECT_EQ(m.at(160, 17), 0); // coloured
    const media::Rect box = bounding_box(m);
    EXPECT_EQ(box.x, 14);
    EXPECT_EQ(box.width, 32);
    EXPECT_EQ(box.y, 14);
    EXPECT_EQ(box.height, 6);
}

TEST(TextMask, SubsampledMaskHasTheReducedSize) {
    auto f = test::noisy_frame(201, 99);
    TextMaskOptions o;
    o.step = 2;
    const Mask m = text_mask(view(f), o);
    EXPECT_EQ(m.width, 101);
    EXPECT_EQ(m.height, 50);
}

TEST(TextMask, FindsRenderedChineseSubtitleText) {
    auto f = test::noisy_frame(540, 300);
    const auto area = test::draw_subtitle(f, "我明天就要结婚了。", 40);
    ASSERT_GT(area.width, 0);
    TextMaskOptions o;
    o.outline_radius = outline_radius_for_width(540);
    const Mask m = text_mask(view(f), o);
    const media::Rect box = bounding_box(m);
    ASSERT_FALSE(box.empty());
    // Everything found lies inside what libass drew.
    EXPECT_GE(box.x, area.x);
    EXPECT_GE(box.y, area.y);
    EXPECT_LE(box.x + box.width, area.x + area.width);
    EXPECT_LE(box.y + box.height, area.y + area.height);
    EXPECT_GT(m.count(), 1000u);
}

TEST(TextMask, DilateIntersectAndCounts) {
    Mask m(9, 9);
    m.at(4, 4) = 1;
    const Mask d = dilate(m, 2);
    EXPECT_EQ(d.count(), 25u);
    EXPECT_EQ(d.at(2, 2), 1);
    EXPECT_EQ(d.at(1, 4), 0);
    EXPECT_EQ(count_differences(m, d), 24u);
    EXPECT_EQ(count_union(m, d), 25u);
    Mask both = d;
    intersect(both, m);
    EXPECT_EQ(both.count(), 1u);
    EXPECT_TRUE(bounding_box(Mask(5, 5)).empty());
}

TEST(TextMask, RemovesSmallComponentsOnly) {
    Mask m(20, 10);
    for (int x = 2; x < 12; ++x) m.at(x, 5) = 1;  // 10 pixels
    m.at(16, 2) = 1;                               // a speck
    m.at(17, 3) = 1;                               // joined diagonally: 2 pixels
    remove_small_components(m, 3);
    EXPECT_EQ(m.count(), 10u);
    EXPECT_EQ(m.at(16, 2), 0);
}
