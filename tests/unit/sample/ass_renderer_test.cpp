#include "subtitles/render/ass_renderer.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace dramaloc::subtitles {
namespace {

constexpr int kWidth = 540;
constexpr int kHeight = 960;

struct Frame {
    std::vector<std::uint8_t> rgb = std::vector<std::uint8_t>(kWidth * kHeight * 3, 30);
    std::uint8_t* data() { return rgb.data(); }
    int count_bright() const {  // white text pixels
        int n = 0;
        for (std::size_t i = 0; i < rgb.size(); i += 3) n += rgb[i] > 230 && rgb[i + 1] > 230 && rgb[i + 2] > 230;
        return n;
    }
};

RenderStyle small_style() {
    RenderStyle style;
    style.font_size_px = 48;
    style.outline_px = 3;
    style.margin_bottom_px = 200;
    return style;
}

TEST(SubtitleRenderer, DrawsChineseTextInTheLowerThirdOnlyWhileTheEventIsActive) {
    SubtitleRenderer renderer(kWidth, kHeight, small_style());
    renderer.set_events({SubtitleEvent{1, 1001, 2002, {"你为什么回来？"}, "", ""}}, "zh");

    Frame frame;
    ASSERT_TRUE(renderer.render(1500, frame.data(), kWidth * 3));
    ASSERT_TRUE(renderer.last_drawn_area().has_value());
    const PixelRect area = *renderer.last_drawn_area();
    EXPECT_GT(area.y, kHeight * 2 / 3 - 100);
    EXPECT_LE(area.y + area.height, kHeight - 200 + 20);       // above the bottom margin
    EXPECT_NEAR(area.x + area.width / 2, kWidth / 2, 10);      // centred
    EXPECT_GT(area.width, 7 * 48 / 2);                         // seven CJK glyphs
    EXPECT_GT(frame.count_bright(), 500);
    EXPECT_LT(frame.count_bright(), area.width * area.height);
    // Nothing outside the drawn area changed.
    for (int y = 0; y < kHeight; ++y) {
        for (int x = 0; x < kWidth; ++x) {
            const bool inside = x >= area.x && x < area.x + area.width && y >= area.y && y < area.y + area.height;
            if (!inside) {
                ASSERT_EQ(frame.rgb[(y * kWidth + x) * 3], 30) << x << "," << y;
            }
        }
    }
    // Black outline pixels exist around the white text.
    int dark = 0;
    for (std::size_t i = 0; i < frame.rgb.size(); i += 3) dark += frame.rgb[i] < 10;
    EXPECT_GT(dark, 200);
}

TEST(SubtitleRenderer, KeepsMillisecondTimesAndDrawsNothingBetweenEvents) {
    SubtitleRenderer renderer(kWidth, kHeight, small_style());
    renderer.set_events({SubtitleEvent{1, 1001, 2002, {"你好"}, "", ""}, SubtitleEvent{2, 3000, 4000, {"再见"}, "", ""}}, "zh");
    for (const TimeMs t : {0, 1000, 2002, 2500, 4000, 9000}) {
        Frame frame;
        EXPECT_FALSE(renderer.render(t, frame.data(), kWidth * 3)) << t;
        EXPECT_EQ(frame.count_bright(), 0) << t;
        EXPECT_FALSE(renderer.last_drawn_area().has_value());
    }
    for (const TimeMs t : {1001, 2001, 3000, 3999}) {
        Frame frame;
        EXPECT_TRUE(renderer.render(t, frame.data(), kWidth * 3)) << t;
    }
}

TEST(SubtitleRenderer, RendersArabicText) {
    SubtitleRenderer renderer(kWidth, kHeight, small_style());
    renderer.set_events({SubtitleEvent{1, 0, 1000, {"لماذا عدت؟"}, "", ""}}, "ar");
    Frame frame;
    ASSERT_TRUE(renderer.render(500, frame.data(), kWidth * 3));
    EXPECT_GT(frame.count_bright(), 200);
    EXPECT_GT(renderer.last_drawn_area()->width, 100);
}

TEST(SubtitleRenderer, ShowsBracesAndBackslashesLiterally) {
    EXPECT_EQ(to_ass_text({"a{\\b1}c", "next"}), "a\\{\\\u2060b1\\}c\\Nnext");
    SubtitleRenderer renderer(kWidth, kHeight, small_style());
    renderer.set_events({SubtitleEvent{1, 0, 1000, {"{\\alpha&HFF&}visible"}, "", ""}}, "en");
    Frame frame;
    EXPECT_TRUE(renderer.render(10, frame.data(), kWidth * 3));  // an override would have hidden it
    EXPECT_GT(frame.count_bright(), 100);
}

TEST(SubtitleRenderer, RejectsAnEmptyFrameSize) { EXPECT_ANY_THROW(SubtitleRenderer(0, 100)); }

}  // namespace
}  // namespace dramaloc::subtitles
