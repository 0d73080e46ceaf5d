// The tesseract backend on rendered subtitle text (real engine, Debian's models).
#include <gtest/gtest.h>

#include "core/error.hpp"
#include <filesystem>

#include "engines/ocr.hpp"
#include "engines/tesseract/tesseract_recognizer.hpp"
#include "frames.hpp"
#include "hardsubs/ocr_image.hpp"
#include "hardsubs/ocr_text.hpp"
#include "hardsubs/text_mask.hpp"

using namespace dramaloc;

namespace {

// The text drawn black on white, as OCR pictures are.
engines::GrayImage mask_image(const std::string& text, const std::string& language) {
    test::TestFrame f{720, 240, std::vector<std::uint8_t>(720u * 240u * 3u, 255)};
    subtitles::RenderStyle style;
    style.font_size_px = 60;
    style.outline_px = 0;
    style.primary_rgb = 0x000000;
    style.margin_bottom_px = 60;
    subtitles::SubtitleRenderer renderer(f.width, f.height, style);
    renderer.set_events({SubtitleEvent{1, 0, 1000, {text}, "", ""}}, language);
    renderer.render(500, f.rgb.data(), f.stride());
    engines::GrayImage image{f.width, f.height, std::vector<std::uint8_t>(static_cast<std::size_t>(f.width) * static_cast<std::size_t>(f.height))};
    for (std::size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = f.rgb[3 * i];
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

TEST(TesseractOcr, GivesEveryCharacterWithItsConfidence) {
    auto ocr = engines::make_text_recognizer("tesseract");
    const auto result = ocr->recognize(mask_image("林小姐，车准备好了。", "zh"), "zh");
    ASSERT_FALSE(result.failed) << result.error;
    ASSERT_GE(result.symbols.size(), 8u);
    std::string joined;
    for (const auto& s : result.symbols) {
        EXPECT_GE(s.confidence, 0.0f);
        EXPECT_LE(s.confidence, 1.0f);
        for (const auto& [alternative, confidence] : s.alternatives) EXPECT_NE(alternative, s.text);
        joined += s.text;
    }
    EXPECT_TRUE(result.symbols.front().starts_line);
    EXPECT_EQ(hardsubs::normalize_ocr_text(joined), hardsubs::normalize_ocr_text(result.text));
}

TEST(TesseractOcr, ReadsTheTextOfAFrameWhateverItsLookAndBackground) {
    // The picture OCR is given for a subtitle (hardsubs/ocr_image.hpp), from a frame as coded.
    struct Case {
        const char* name;
        std::uint32_t colour;
        int outline, shadow;
        bool box;
        std::uint8_t r, g, b;
    };
    const Case cases[] = {
        {"white, outlined, over a bright wall", 0xFFFFFF, 3, 0, false, 215, 222, 235},
        {"yellow, outlined, over yellow", 0xFFE400, 3, 0, false, 235, 205, 40},
        {"white, shadow only, over grass", 0xFFFFFF, 0, 3, false, 100, 125, 70},
        {"white in a translucent box", 0xFFFFFF, 6, 0, true, 220, 220, 220},
    };
    auto ocr = engines::make_text_recognizer("tesseract");
    const std::string text = "你现在忙吗？把手给我。";
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        subtitles::RenderStyle style;
        style.font_size_px = 60;
        style.primary_rgb = c.colour;
        style.outline_px = c.outline;
        style.shadow_px = c.shadow;
        style.box = c.box;
        if (c.box) style.outline_transparency = 0x50;
        const auto drawn = test::draw_styled(text, style, c.r, c.g, c.b, 720, 200);
        const auto yuv = test::to_yuv420(drawn.frame);
        const auto sample = hardsubs::copy_rows(0, yuv.y.data(), yuv.u.data(), yuv.v.data(), yuv.width, yuv.height, 0, yuv.height);
        hardsubs::TextMaskOptions o;
        o.outline_radius = 3;
        const auto core = hardsubs::text_mask_yuv420_half(yuv.view(), o);
        const hardsubs::TextPlace place{&core, 2, 0};
        const auto colour = hardsubs::text_colour({&sample}, place);
        ASSERT_TRUE(colour);
        const auto image = hardsubs::sample_ocr_image({&sample}, place, *colour, hardsubs::InkRule::Colour, 26);
        const auto result = ocr->recognize(image, "zh");
        // The engine itself misreads a character now and then (忙 at this size, in some
        // renderings): one in the eleven is its doing; more is the picture's.
        const std::string read = hardsubs::chinese_ocr_text(result.symbols, result.text);
        EXPECT_GE(hardsubs::text_similarity(read, text), 0.9) << read;
    }
}
