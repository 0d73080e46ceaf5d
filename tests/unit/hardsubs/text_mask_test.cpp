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

namespace {

// Limited-range BT.601 4:2:0, as an H.264 decoder hands frames over (chroma averaged per 2x2).
struct Yuv420 {
    int width, height;
    std::vector<std::uint8_t> y, u, v;
    Yuv420View view() const { return {y.data(), u.data(), v.data(), width, height}; }
};

Yuv420 to_yuv420(const test::TestFrame& f) {
    Yuv420 out{f.width, f.height, {}, {}, {}};
    out.y.resize(static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height));
    out.u.resize(out.y.size() / 4);
    out.v.resize(out.y.size() / 4);
    const auto channel = [&](int x, int y, int c) { return static_cast<double>(f.row(y)[x * 3 + c]); };
    for (int y = 0; y < f.height; ++y)
        for (int x = 0; x < f.width; ++x)
            out.y[static_cast<std::size_t>(y * f.width + x)] = static_cast<std::uint8_t>(
                std::lround(16 + (65.481 * channel(x, y, 0) + 128.553 * channel(x, y, 1) + 24.966 * channel(x, y, 2)) / 255));
    for (int y = 0; y < f.height / 2; ++y)
        for (int x = 0; x < f.width / 2; ++x) {
            double r = 0, g = 0, b = 0;
            for (int k = 0; k < 4; ++k) r += channel(2 * x + k % 2, 2 * y + k / 2, 0) / 4, g += channel(2 * x + k % 2, 2 * y + k / 2, 1) / 4,
                                        b += channel(2 * x + k % 2, 2 * y + k / 2, 2) / 4;
            const auto i = static_cast<std::size_t>(y * (f.width / 2) + x);
            out.u[i] = static_cast<std::uint8_t>(std::lround(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255));
            out.v[i] = static_cast<std::uint8_t>(std::lround(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255));
        }
    return out;
}

}  // namespace

TEST(TextMaskYuv, KeepsWhiteStrokesWithADarkOutlineAtHalfResolution) {
    auto f = test::noisy_frame(240, 100);
    // Outlined white (text), white without outline (a highlight), outlined yellow, and an
    // outlined cream disc edge: the bokeh spots of a busy background, which a chroma bound as
    // loose as the RGB one let through as text.
    fill_rect(f, 10, 10, 40, 16, 0, 0, 0);
    fill_rect(f, 14, 14, 32, 8, 255, 255, 255);
    fill_rect(f, 70, 14, 32, 8, 255, 255, 255);
    fill_rect(f, 120, 10, 40, 16, 0, 0, 0);
    fill_rect(f, 124, 14, 32, 8, 250, 220, 40);
    fill_rect(f, 180, 10, 40, 16, 40, 20, 50);
    fill_rect(f, 184, 14, 32, 8, 240, 225, 190);
    const auto yuv = to_yuv420(f);
    YuvTextMaskOptions o;
    o.outline_radius = 2;
    const Mask m = text_mask_yuv420_half(yuv.view(), o);
    ASSERT_EQ(m.width, 120);
    ASSERT_EQ(m.height, 50);
    EXPECT_EQ(m.at(15, 9), 1);   // outlined white
    EXPECT_EQ(m.at(43, 9), 0);   // white without outline
    EXPECT_EQ(m.at(70, 9), 0);   // yellow
    EXPECT_EQ(m.at(100, 9), 0);  // cream
    const media::Rect box = bounding_box(m);
    EXPECT_EQ(box.x, 7);
    EXPECT_EQ(box.width, 16);
    EXPECT_EQ(box.y, 7);
    EXPECT_EQ(box.height, 4);
}

TEST(TextMaskYuv, FindsRenderedChineseTextLikeTheRgbMaskDoes) {
    auto f = test::noisy_frame(540, 300);
    ASSERT_GT(test::draw_subtitle(f, "我明天就要结婚了。", 40).width, 0);
    TextMaskOptions rgb_options;
    rgb_options.outline_radius = outline_radius_for_width(540);
    rgb_options.step = 2;
    const Mask rgb = text_mask(view(f), rgb_options);
    YuvTextMaskOptions yuv_options;
    yuv_options.outline_radius = std::max(1, outline_radius_for_width(540) / 2);
    const Mask yuv = text_mask_yuv420_half(to_yuv420(f).view(), yuv_options);
    ASSERT_GT(rgb.count(), 200u);
    // The same strokes, less their edges: 2x2 averaging and shared chroma blend an edge pixel
    // with the (here very colourful) noise around it.
    EXPECT_GT(yuv.count(), rgb.count() / 2);
    EXPECT_LT(yuv.count(), rgb.count() * 5 / 4);
    const auto a = bounding_box(rgb), b = bounding_box(yuv);
    EXPECT_NEAR(a.x, b.x, 2);
    EXPECT_NEAR(a.y, b.y, 2);
    EXPECT_NEAR(a.width, b.width, 3);
    EXPECT_NEAR(a.height, b.height, 3);
}
