#include <gtest/gtest.h>

#include <cmath>

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

TEST(TextMask, AnRgbPictureGivesTheMaskItsEncodedFrameWould) {
    auto f = test::noisy_frame(540, 300);
    const auto area = test::draw_subtitle(f, "我明天就要结婚了。", 40);
    ASSERT_GT(area.width, 0);
    TextMaskOptions o;
    o.outline_radius = 3;
    const Mask rgb = text_mask_rgb_half(view(f), o);
    const Mask yuv = text_mask_yuv420_half(test::to_yuv420(f).view(), o);
    ASSERT_EQ(rgb.width, 270);
    ASSERT_EQ(rgb.height, 150);
    ASSERT_GT(yuv.count(), 600u);
    // Integer and floating-point conversions round a few pixels differently.
    EXPECT_LT(count_differences(rgb, yuv), yuv.count() / 20);
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

using test::to_yuv420;

TEST(TextMaskYuv, TakesStrokesOfAnyColourBetweenDarkSides) {
    auto f = test::noisy_frame(320, 100);
    // Outlined strokes 8 px thick in white, yellow and light blue: text, whatever its colour.
    fill_rect(f, 10, 10, 40, 16, 0, 0, 0);
    fill_rect(f, 14, 14, 32, 8, 255, 255, 255);
    fill_rect(f, 70, 10, 40, 16, 0, 0, 0);
    fill_rect(f, 74, 14, 32, 8, 255, 228, 0);
    fill_rect(f, 130, 10, 40, 16, 0, 0, 0);
    fill_rect(f, 134, 14, 32, 8, 143, 216, 255);
    // A bright wall with a dark line along one side: bright next to dark, but on one side only.
    fill_rect(f, 190, 10, 60, 60, 220, 220, 220);
    fill_rect(f, 190, 10, 4, 60, 0, 0, 0);
    // A dark cream stroke (below the brightness of a fill) with an outline: not text.
    fill_rect(f, 260, 10, 40, 16, 0, 0, 0);
    fill_rect(f, 264, 14, 32, 8, 150, 130, 100);
    const auto yuv = to_yuv420(f);
    TextMaskOptions o;
    o.outline_radius = 3;
    const Mask m = text_mask_yuv420_half(yuv.view(), o);
    ASSERT_EQ(m.width, 160);
    ASSERT_EQ(m.height, 50);
    EXPECT_EQ(m.at(15, 9), 1);   // white
    EXPECT_EQ(m.at(45, 9), 1);   // yellow
    EXPECT_EQ(m.at(75, 9), 1);   // light blue
    for (int x = 98; x < 125; ++x)
        for (int y = 8; y < 35; ++y) ASSERT_EQ(m.at(x, y), 0) << "the wall at " << x << "," << y;
    EXPECT_EQ(m.at(140, 9), 0);  // too dark to be a fill
}

TEST(TextMaskYuv, FindsRenderedChineseTextInAnyColourWhereItWasDrawn) {
    for (const std::uint32_t colour : {0xFFFFFFu, 0xFFE400u, 0x8FD8FFu}) {
        SCOPED_TRACE(colour);
        auto f = test::noisy_frame(540, 300);
        subtitles::RenderStyle style;
        style.font_size_px = 56;
        style.outline_px = 3;
        style.margin_bottom_px = 40;
        style.primary_rgb = colour;
        subtitles::SubtitleRenderer renderer(f.width, f.height, style);
        renderer.set_events({SubtitleEvent{1, 0, 1000, {"我明天就要结婚了。"}, "", ""}}, "zh");
        renderer.render(500, f.rgb.data(), f.stride());
        const auto area = renderer.last_drawn_area().value();
        TextMaskOptions o;
        o.outline_radius = 3;
        const Mask m = text_mask_yuv420_half(to_yuv420(f).view(), o);
        // Most of the strokes are found, and what is found lies where the text was drawn.
        EXPECT_GT(m.count(), 600u);
        const auto box = bounding_box(m);
        EXPECT_GE(2 * box.x + 1, area.x);
        EXPECT_GE(2 * box.y + 1, area.y);
        EXPECT_LE(2 * (box.x + box.width), area.x + area.width + 1);
        EXPECT_LE(2 * (box.y + box.height), area.y + area.height + 1);
        EXPECT_GT(2 * box.width, area.width * 3 / 4);
    }
}
