// The tesseract backend on rendered subtitle text (real engine, Debian's models).
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "engines/ocr.hpp"
#include "frames.hpp"
#include "hardsubs/ocr_text.hpp"
#include "hardsubs/text_mask.hpp"

using namespace dramaloc;

namespace {

engines::GrayImage mask_image(const std::string& text, const std::string& language) {
    auto f = test::noisy_frame(720, 240);
    subtitles::RenderStyle style;
    style.font_size_px = 60;
    style.outline_px = 3;
    style.margin_bottom_px = 60;
    subtitles::SubtitleRenderer renderer(f.width, f.height, style);
    renderer.set_events({SubtitleEvent{1, 0, 1000, {text}, "", ""}}, language);
    renderer.render(500, f.rgb.data(), f.stride());
    hardsubs::TextMaskOptions o;
    o.outline_radius = hardsubs::outline_radius_for_width(720);
    const auto mask = hardsubs::text_mask({f.rgb.data(), f.width, f.height, f.stride()}, o);
    engines::GrayImage image{f.width, f.height, std::vector<std::uint8_t>(mask.bits.size())};
    for (std::size_t i = 0; i < mask.bits.size(); ++i) image.pixels[i] = mask.bits[i] ? 0 : 255;
    return image;
}

}  // namespace

TEST(TesseractOcr, ReadsChineseSubtitleText) {
    auto ocr = engines::make_text_recognizer("tesseract");
    const auto result = ocr->recognize(mask_image("林小姐，车准备好了。", "zh"), "zh");
    ASSERT_FALSE(result.failed) << result.error;
    EXPECT_GE(hardsubs::text_similarity(hardsubs::normalize_ocr_text(result.text), "林小姐，车准备好了。"), 0.8) << result.text;
    EXPECT_GT(result.confidence, 0.6f);
}

TEST(TesseractOcr, ReadsEnglishToo) {
    auto ocr = engines::make_text_recognizer("tesseract");
    const auto result = ocr->recognize(mask_image("Tell her I will call back", "en"), "en");
    ASSERT_FALSE(result.failed) << result.error;
    EXPECT_GE(hardsubs::text_similarity(result.text, "Tell her I will call back"), 0.8) << result.text;
}

TEST(TesseractOcr, ABlankImageReadsAsNothingAndAnEmptyOneFailsWithoutThrowing) {
    auto ocr = engines::make_text_recognizer("tesseract");
    engines::GrayImage blank{200, 60, std::vector<std::uint8_t>(200 * 60, 255)};
    const auto r = ocr->recognize(blank, "zh");
    EXPECT_FALSE(r.failed);
    EXPECT_TRUE(r.text.empty()) << r.text;
    const auto empty = ocr->recognize(engines::GrayImage{}, "zh");
    EXPECT_TRUE(empty.failed);
    EXPECT_FALSE(empty.error.empty());
}

TEST(TesseractOcr, AMissingModelNamesTheDebianPackage) {
    auto ocr = engines::make_text_recognizer("tesseract");
    try {
        ocr->require_language("ja");
        FAIL() << "jpn model present? the test expects Debian's tesseract-ocr-jpn not to be installed";
    } catch (const EngineError& e) {
        EXPECT_NE(std::string(e.what()).find("tesseract-ocr-jpn"), std::string::npos) << e.what();
    }
}

TEST(TesseractOcr, UnknownBackendListsTheOnesThatExist) {
    try {
        engines::make_text_recognizer("paddle");
        FAIL();
    } catch (const EngineError& e) {
        EXPECT_NE(std::string(e.what()).find("tesseract"), std::string::npos) << e.what();
    }
}
