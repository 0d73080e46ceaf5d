#include <gtest/gtest.h>

#include <algorithm>

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

TEST(HanShare, TellsChineseReadAsLatinApart) {
    EXPECT_DOUBLE_EQ(han_share("我的丈夫。"), 1.0);
    EXPECT_DOUBLE_EQ(han_share("IES BY?"), 0.0);
    EXPECT_DOUBLE_EQ(han_share("这是什和A?"), 0.8);
    EXPECT_DOUBLE_EQ(han_share("。！"), 1.0);  // no letters: nothing to say
}
