#include <gtest/gtest.h>

#include "core/error.hpp"
#include "frames.hpp"
#include "hardsubs/remove.hpp"
#include "hardsubs/text_mask.hpp"

using namespace dramaloc;
using namespace dramaloc::hardsubs;

namespace {

// A smooth background (inpainting restores smooth areas well) with a subtitle in rows 200..300.
test::TestFrame frame_with_subtitle(bool with_text) {
    test::TestFrame f{540, 320, std::vector<std::uint8_t>(540u * 320u * 3u)};
    for (int y = 0; y < f.height; ++y)
        for (int x = 0; x < f.width; ++x) {
            std::uint8_t* p = f.row(y) + x * 3;
            p[0] = static_cast<std::uint8_t>(90 + x / 12);
            p[1] = static_cast<std::uint8_t>(70 + y / 8);
            p[2] = 110;
        }
    if (with_text) test::draw_subtitle(f, "三年了，一个电话都没有。", 30);
    return f;
}

std::size_t text_pixels(const test::TestFrame& f, const SubtitleBand& band) {
    TextMaskOptions o;
    o.outline_radius = stroke_radius_for_width(f.width);
    return text_mask_rgb_half({f.row(band.y0), f.width, band.height(), f.stride()}, o).count();
}

}  // namespace

class Removal : public ::testing::TestWithParam<RemovalMethod> {};

TEST_P(Removal, CleansFramesInsideSegmentsAndNoOthers) {
    const SubtitleBand band{200, 320};
    RemovalOptions options;
    options.method = GetParam();
    HardsubRemover remover(band, {TextSegment{10, 20, 333, 667}}, options);

    auto with_text = frame_with_subtitle(true);
    ASSERT_GT(text_pixels(with_text, band), 500u);

    // Frame 5 is outside every segment: not a byte changes, even though it shows text.
    auto outside = with_text;
    EXPECT_FALSE(remover.clean(outside.rgb.data(), outside.width, outside.height, outside.stride(), 5));
    EXPECT_EQ(outside.rgb, with_text.rgb);

    auto inside = with_text;
    EXPECT_TRUE(remover.clean(inside.rgb.data(), inside.width, inside.height, inside.stride(), 12));
    EXPECT_LT(text_pixels(inside, band), 10u);
    // Above the band nothing changed.
    EXPECT_TRUE(std::equal(inside.rgb.begin(), inside.rgb.begin() + 200 * inside.stride(), with_text.rgb.begin()));
    // Where the text was, the picture is close to the clean background again.
    const auto clean = frame_with_subtitle(false);
    double error = 0;
    for (std::size_t i = static_cast<std::size_t>(band.y0) * clean.stride(); i < clean.rgb.size(); ++i)
        error += std::abs(static_cast<int>(inside.rgb[i]) - static_cast<int>(clean.rgb[i]));
    error /= static_cast<double>(clean.rgb.size() - static_cast<std::size_t>(band.y0) * clean.stride());
    EXPECT_LT(error, GetParam() == RemovalMethod::Blur ? 12.0 : 6.0);

    EXPECT_EQ(remover.report().frames_cleaned, 1);
    EXPECT_EQ(remover.report().frames_seen, 2);
    EXPECT_EQ(remover.report().method, GetParam() == RemovalMethod::Blur ? "blur" : "inpaint");
}

INSTANTIATE_TEST_SUITE_P(Methods, Removal, ::testing::Values(RemovalMethod::Inpaint, RemovalMethod::Blur));

TEST(RemovalColour, YellowSubtitlesAreRemovedLikeWhiteOnes) {
    const SubtitleBand band{200, 320};
    auto f = frame_with_subtitle(false);
    subtitles::RenderStyle style;
    style.font_size_px = 56;
    style.outline_px = 3;
    style.margin_bottom_px = 30;
    style.primary_rgb = 0xFFE400;
    subtitles::SubtitleRenderer renderer(f.width, f.height, style);
    renderer.set_events({SubtitleEvent{1, 0, 1000, {"三年了，一个电话都没有。"}, "", ""}}, "zh");
    renderer.render(500, f.rgb.data(), f.stride());
    ASSERT_GT(text_pixels(f, band), 500u);
    HardsubRemover remover(band, {TextSegment{0, 10, 0, 333}}, {});
    EXPECT_TRUE(remover.clean(f.rgb.data(), f.width, f.height, f.stride(), 3));
    EXPECT_LT(text_pixels(f, band), 10u);
}

TEST(RemovalAuto, SwitchesToBlurWhenInpaintingIsOverBudget) {
    const SubtitleBand band{200, 320};
    RemovalOptions options;
    options.method = RemovalMethod::Auto;
    options.inpaint_budget_ms = 0.0;  // nothing is fast enough
    options.calibration_frames = 2;
    HardsubRemover remover(band, {TextSegment{0, 10, 0, 333}}, options);
    for (int i = 0; i < 4; ++i) {
        auto f = frame_with_subtitle(true);
        EXPECT_TRUE(remover.clean(f.rgb.data(), f.width, f.height, f.stride(), i));
        EXPECT_LT(text_pixels(f, band), 10u);
    }
    EXPECT_EQ(remover.report().method, "inpaint then blur");
    EXPECT_GT(remover.report().inpaint_ms_per_frame, 0.0);
    EXPECT_GT(remover.report().blur_ms_per_frame, 0.0);
}

TEST(RemovalMethodNames, RoundTripAndRejectUnknown) {
    for (auto m : {RemovalMethod::Auto, RemovalMethod::Inpaint, RemovalMethod::Blur})
        EXPECT_EQ(removal_method_from_string(to_string(m)), m);
    EXPECT_THROW(removal_method_from_string("smudge"), ConfigError);
}
