#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "frames.hpp"
#include "hardsubs/ocr_image.hpp"
#include "hardsubs/ocr_text.hpp"

using namespace dramaloc;
using namespace dramaloc::hardsubs;

namespace {

void set_rect(Mask& m, int x0, int y0, int w, int h) {
    for (int y = y0; y < y0 + h; ++y)
        for (int x = x0; x < x0 + w; ++x) m.at(x, y) = 1;
}

// Rows of the image that hold any ink (pixel below 128).
int ink_rows(const engines::GrayImage& image) {
    int rows = 0;
    for (int y = 0; y < image.height; ++y) {
        const auto* row = &image.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width)];
        rows += std::any_of(row, row + image.width, [](std::uint8_t v) { return v < 128; });
    }
    return rows;
}

}  // namespace

TEST(OcrImage, LineHeightIsTheTallestRunOfInkedRows) {
    Mask m(100, 100);
    EXPECT_EQ(text_line_height(m), 0);
    set_rect(m, 10, 10, 30, 20);   // a line 20 rows tall, with a one-row gap inside (strokes)
    for (int x = 0; x < 100; ++x) m.at(x, 18) = 0;
    set_rect(m, 10, 50, 30, 24);   // a second line, 24 rows, well apart
    EXPECT_EQ(text_line_height(m), 24);
}

TEST(OcrImage, ScalesTheLineToTheAskedHeightBothWays) {
    for (const int source : {12, 30, 80}) {
        Mask m(400, 200);
        set_rect(m, 20, 20, 4 * source, source);
        const auto image = ocr_image(m, 1, 26);
        SCOPED_TRACE(source);
        EXPECT_NEAR(ink_rows(image), 26, 2);
        // A margin of white all round, grey levels at scaled edges, black inside.
        EXPECT_EQ(image.pixels.front(), 255);
        EXPECT_EQ(image.pixels.back(), 255);
        EXPECT_EQ(image.pixels[static_cast<std::size_t>(image.height / 2) * static_cast<std::size_t>(image.width) +
                               static_cast<std::size_t>(image.width / 2)],
                  0);
        EXPECT_NEAR(static_cast<double>(image.width) / image.height, (4.0 * 26 + 26) / (26 + 26), 0.3);
    }
}

TEST(OcrImage, SpecksAloneGiveNoImage) {
    Mask m(50, 50);
    m.at(3, 3) = m.at(40, 40) = 1;
    EXPECT_EQ(ocr_image(m, 4, 26).width, 0);
}

namespace {

struct Prepared {
    engines::GrayImage image;
    std::optional<TextColour> colour;
};

// What OCR is given for `drawn`, read from its frame the way an episode's are: a sample of the
// frame as coded, the text's core from the half-resolution mask, at the text's own size.
Prepared prepare(const test::StyledText& drawn, InkRule rule = InkRule::Colour) {
    const auto yuv = test::to_yuv420(drawn.frame);
    const FrameSample sample = copy_rows(0, yuv.y.data(), yuv.u.data(), yuv.v.data(), yuv.width, yuv.height, 0, yuv.height);
    TextMaskOptions o;
    o.outline_radius = 3;
    const Mask core = text_mask_yuv420_half(yuv.view(), o);
    const TextPlace place{&core, 2, 0};
    Prepared out;
    out.colour = text_colour({&sample}, place);
    if (out.colour) out.image = sample_ocr_image({&sample}, place, *out.colour, rule, 2 * text_line_height(core));
    return out;
}

std::size_t ink_pixels(const engines::GrayImage& image) {
    return static_cast<std::size_t>(std::count_if(image.pixels.begin(), image.pixels.end(), [](std::uint8_t v) { return v < 128; }));
}

subtitles::RenderStyle look(std::uint32_t colour, int outline, int shadow = 0, bool box = false) {
    subtitles::RenderStyle style;
    style.font_size_px = 56;
    style.primary_rgb = colour;
    style.outline_px = outline;
    style.shadow_px = shadow;
    style.box = box;
    if (box) style.outline_transparency = 0x50;
    return style;
}

}  // namespace

TEST(SampleOcrImage, InksTheFillAloneWhateverTheLookAndTheBackground) {
    struct Case {
        const char* name;
        subtitles::RenderStyle style;
        std::uint8_t r, g, b;
    };
    const Case cases[] = {
        {"white, outlined, over a bright wall", look(0xFFFFFF, 3), 215, 222, 235},
        {"yellow, outlined, over yellow", look(0xFFE400, 3), 235, 205, 40},
        {"light blue, thin outline, over wood", look(0x8FD8FF, 2), 200, 170, 130},
        {"white, shadow only, over grass", look(0xFFFFFF, 0, 3), 100, 125, 70},
        {"white in a translucent box, over a bright wall", look(0xFFFFFF, 6, 0, true), 220, 220, 220},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const auto drawn = test::draw_styled("我明天就要结婚了。", c.style, c.r, c.g, c.b);
        ASSERT_GT(drawn.fill_pixels, 2000u);
        const Prepared p = prepare(drawn);
        ASSERT_TRUE(p.colour);
        // The ink is the fill: about as many pixels, not the background round the outline
        // (which would double it) nor a few strokes (which would halve it).
        const double ratio = static_cast<double>(ink_pixels(p.image)) / static_cast<double>(drawn.fill_pixels);
        EXPECT_GT(ratio, 0.7);
        EXPECT_LT(ratio, 1.3);
    }
}

TEST(SampleOcrImage, TheTextsColourIsItsFillsNotItsOutlinesOrTheBackgrounds) {
    const auto drawn = test::draw_styled("我明天就要结婚了。", look(0xFFE400, 3), 60, 90, 160);
    const auto colour = prepare(drawn).colour;
    ASSERT_TRUE(colour);
    // Yellow (255, 228, 0) in limited-range BT.601: Y 196, U 24, V 156.
    EXPECT_NEAR(colour->y, 196, 8);
    EXPECT_NEAR(colour->u, 24, 8);
    EXPECT_NEAR(colour->v, 156, 8);
}

TEST(HanShare, TellsChineseReadAsLatinApart) {
    EXPECT_DOUBLE_EQ(han_share("我的丈夫。"), 1.0);
    EXPECT_DOUBLE_EQ(han_share("IES BY?"), 0.0);
    EXPECT_DOUBLE_EQ(han_share("这是什和A?"), 0.8);
    EXPECT_DOUBLE_EQ(han_share("。！"), 1.0);  // no letters: nothing to say
}
