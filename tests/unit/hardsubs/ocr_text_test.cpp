#include <gtest/gtest.h>

#include "hardsubs/ocr_text.hpp"

using namespace dramaloc::hardsubs;

TEST(OcrText, RemovesSpacesBetweenChineseCharactersAndJoinsLines) {
    EXPECT_EQ(normalize_ocr_text("  我 明天 就要\n结婚 了 。 \n"), "我明天就要结婚了。");
}

TEST(OcrText, KeepsSpacesBetweenLatinWords) {
    EXPECT_EQ(normalize_ocr_text("Tell  her\nI will   call"), "Tell her I will call");
    EXPECT_EQ(normalize_ocr_text("林小姐 OK 吗"), "林小姐OK吗");
}

TEST(OcrText, AsciiPunctuationNextToChineseBecomesFullWidth) {
    EXPECT_EQ(normalize_ocr_text("你为什么回来?"), "你为什么回来？");
    EXPECT_EQ(normalize_ocr_text("林小姐,车准备好了!"), "林小姐，车准备好了！");
    EXPECT_EQ(normalize_ocr_text("Why? Now!"), "Why? Now!");
}

TEST(OcrText, NoiseHasNoLetterOrIdeograph) {
    EXPECT_TRUE(is_ocr_noise("、 - ."));
    EXPECT_TRUE(is_ocr_noise(""));
    EXPECT_FALSE(is_ocr_noise("。好"));
    EXPECT_FALSE(is_ocr_noise("a"));
}

TEST(OcrText, SimilarityCountsCodePoints) {
    EXPECT_DOUBLE_EQ(text_similarity("我来了", "我 来 了"), 1.0);
    EXPECT_NEAR(text_similarity("这是什么？", "这是什和A?"), 1.0 - 3.0 / 6.0, 1e-9);
    EXPECT_DOUBLE_EQ(text_similarity("", ""), 1.0);
}
