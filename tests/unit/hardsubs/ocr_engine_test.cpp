// The tesseract backend on rendered subtitle text (real engine, Debian's models).
#include <gtest/gtest.h>

#include "core/error.hpp"
#include <filesystem>

#include "engines/ocr.hpp"
#include "engines/tesseract/tesseract_recognizer.hpp"
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

namespace {

// The bottom rows of a rendered "一": a sliver of anti-aliased ink. Given to tesseract 5.3.0
// as a single line with chi_sim+eng, it aborts the process (assertion in
// PAGE_RES_IT::DeleteCurrentWord); masks cut at a band's edge produce such slivers.
engines::GrayImage stroke_sliver() {
    const std::uint8_t rows[3][54] = {
        {255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
         255, 255, 255, 255, 255, 255, 255, 255, 255, 236, 26, 0, 0, 0, 0, 0, 0, 94, 251, 255, 255, 255, 255, 255, 255, 255, 255},
        {255, 255, 255, 255, 255, 255, 255, 255, 140, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 96, 255, 255, 255, 255, 255, 255, 255, 255},
        {255, 255, 255, 255, 255, 255, 255, 255, 238, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184,
         184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 184, 187, 232, 255, 255, 255, 255, 255, 255, 255, 255},
    };
    engines::GrayImage image{54, 3, {}};
    for (const auto& row : rows) image.pixels.insert(image.pixels.end(), row, row + 54);
    return image;
}

}  // namespace

TEST(TesseractOcr, SliversOfInkAreNotGivenToTesseract) {
    // The gate: no line of text in a sliver, nor in a thin strip (which sends tesseract's
    // beam search into minutes of work), nor in white; a real line is cropped with a border.
    EXPECT_FALSE(engines::tesseract_input(stroke_sliver()));
    EXPECT_FALSE(engines::tesseract_input(engines::GrayImage{1000, 2, std::vector<std::uint8_t>(2000, 0)}));
    EXPECT_FALSE(engines::tesseract_input(engines::GrayImage{200, 60, std::vector<std::uint8_t>(200 * 60, 255)}));
    const auto line = engines::tesseract_input(mask_image("林小姐", "zh"));
    ASSERT_TRUE(line);
    EXPECT_LT(line->width, 720);
    EXPECT_EQ(line->pixels.front(), 255);
    // Through the engine, in every language configuration: nothing read, nothing failed, and
    // the process and the engine go on.
    auto ocr = engines::make_text_recognizer("tesseract");
    for (const char* language : {"zh", "en", "zh-Hant"}) {
        if (std::string(language) == "zh-Hant" && !std::filesystem::exists(engines::tesseract_data_dir() + "/chi_tra.traineddata")) continue;
        const auto r = ocr->recognize(stroke_sliver(), language);
        EXPECT_FALSE(r.failed) << r.error;
        EXPECT_TRUE(r.text.empty()) << r.text;
    }
    EXPECT_FALSE(ocr->recognize(mask_image("林小姐", "zh"), "zh").text.empty());
}
