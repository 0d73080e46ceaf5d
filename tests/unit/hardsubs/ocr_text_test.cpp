#include <gtest/gtest.h>

#include <tuple>
#include <vector>

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

namespace {

// Symbols as tesseract gives them: one character each, a confidence, other candidates.
std::vector<dramaloc::engines::OcrSymbol> read_as(std::initializer_list<std::tuple<const char*, float, const char*>> symbols) {
    std::vector<dramaloc::engines::OcrSymbol> out;
    for (const auto& [text, confidence, alternative] : symbols) {
        dramaloc::engines::OcrSymbol s;
        s.text = text;
        s.confidence = confidence;
        if (*alternative) s.alternatives.emplace_back(alternative, 0.2f);
        s.starts_word = out.empty();
        s.starts_line = out.empty();
        out.push_back(s);
    }
    return out;
}

}  // namespace

TEST(ChineseOcrText, ALatinLetterInsideHanNeedsTheEngineToBeSureOfIt) {
    // 忙 read as "1" at a low confidence, with 忙 among the candidates: the candidate.
    EXPECT_EQ(chinese_ocr_text(read_as({{"你", 0.97f, ""}, {"现", 0.95f, ""}, {"在", 0.96f, ""}, {"1", 0.41f, "忙"}, {"吗", 0.93f, ""}, {"?", 0.9f, ""}}), ""),
              "你现在忙吗？");
    // Without a Han candidate it goes.
    EXPECT_EQ(chinese_ocr_text(read_as({{"把", 0.97f, ""}, {"l", 0.35f, ""}, {"手", 0.95f, ""}}), ""), "把手");
    // What the picture really shows stays: a digit the engine is sure of, a sure run of letters.
    EXPECT_EQ(chinese_ocr_text(read_as({{"三", 0.97f, ""}, {"楼", 0.95f, ""}, {"8", 0.96f, ""}, {"号", 0.96f, ""}}), ""), "三楼8号");
    EXPECT_EQ(chinese_ocr_text(read_as({{"V", 0.86f, ""}, {"I", 0.84f, ""}, {"P", 0.9f, ""}, {"酒", 0.95f, ""}, {"店", 0.96f, ""}}), ""), "VIP酒店");
    // Latin text alone (no Han near it) is kept whatever the confidence.
    EXPECT_EQ(chinese_ocr_text(read_as({{"O", 0.5f, ""}, {"K", 0.5f, ""}}), ""), "OK");
}

TEST(ChineseOcrText, PunctuationComesOutFullWidth) {
    EXPECT_EQ(chinese_ocr_text(read_as({{"上", 0.9f, ""}, {"面", 0.9f, ""}, {":", 0.9f, ""}, {"你", 0.9f, ""}, {"好", 0.9f, ""}, {"!", 0.9f, ""}}), ""),
              "上面：你好！");
    // A full stop read as '.', ',', '-' or 'o' closing the line after Han is a full stop.
    for (const char* stop : {".", ",", "-", "o"})
        EXPECT_EQ(chinese_ocr_text(read_as({{"来", 0.9f, ""}, {"了", 0.9f, ""}, {stop, 0.5f, ""}}), ""), "来了。") << stop;
    // Straight quotes pair up as “ ”.
    EXPECT_EQ(chinese_ocr_text(read_as({{"说", 0.9f, ""}, {"\"", 0.9f, ""}, {"来", 0.9f, ""}, {"\"", 0.9f, ""}}), ""), "说“来”");
    // A decimal point between digits is not a full stop.
    EXPECT_EQ(normalize_ocr_text("价3.5元"), "价3.5元");
}

TEST(ChineseOcrText, MarksChineseSubtitlesNeverHoldAreMisreadCharacters) {
    // 三 read as '=', a stroke read as '|': the Han candidate, or nothing.
    EXPECT_EQ(chinese_ocr_text(read_as({{"=", 0.9f, "三"}, {"楼", 0.95f, ""}, {"8", 0.96f, ""}, {"号", 0.96f, ""}}), ""), "三楼8号");
    EXPECT_EQ(chinese_ocr_text(read_as({{"你", 0.9f, ""}, {"|", 0.9f, ""}, {"好", 0.9f, ""}}), ""), "你好");
    // A dash opening the line is not text; inside it, it may be.
    EXPECT_EQ(chinese_ocr_text(read_as({{"-", 0.9f, ""}, {"上", 0.9f, ""}, {"面", 0.9f, ""}}), ""), "上面");
    EXPECT_EQ(chinese_ocr_text(read_as({{"好", 0.9f, ""}, {"—", 0.9f, ""}, {"好", 0.9f, ""}}), ""), "好—好");
}

TEST(ChineseOcrText, QuotesOpenBeforeTextAndCloseAfterIt) {
    EXPECT_EQ(normalize_ocr_text("他说:\"一个人来。\""), "他说：“一个人来。”");
    EXPECT_EQ(normalize_ocr_text("他说:一个人来。\""), "他说：一个人来。”");
    EXPECT_EQ(normalize_ocr_text("他说: \"一个人来。\""), "他说：“一个人来。”");
    EXPECT_EQ(normalize_ocr_text("He said \"Hello\""), "He said \"Hello\"");  // English keeps its spaces and quotes
}

TEST(ChineseOcrText, FullWidthPunctuationCarriesItsOwnSpace) {
    // chi_tra reads "，VIP" as ", VIP": the comma becomes full-width and the space goes.
    EXPECT_EQ(normalize_ocr_text("先生, VIP酒店的车来了。"), "先生，VIP酒店的车来了。");
    EXPECT_EQ(normalize_ocr_text("是VIP 。"), "是VIP。");
    EXPECT_EQ(normalize_ocr_text("VIP room"), "VIP room");  // between Latin words the space stays
}

TEST(ChineseOcrText, DotsInARowAreAnEllipsis) {
    EXPECT_EQ(normalize_ocr_text("我...我不知道"), "我……我不知道");
    EXPECT_EQ(chinese_ocr_text(read_as({{"好", 0.95f, ""}, {".", 0.9f, ""}, {".", 0.9f, ""}, {".", 0.9f, ""}}), ""), "好……");
    EXPECT_EQ(normalize_ocr_text("Wait..."), "Wait...");
}

TEST(ChineseOcrText, PercentTildeAndCurrencyAreKept) {
    EXPECT_EQ(chinese_ocr_text(read_as({{"涨", 0.95f, ""}, {"了", 0.95f, ""}, {"5", 0.95f, ""}, {"0", 0.95f, ""}, {"%", 0.9f, "的"}, {"的", 0.9f, ""}}), ""),
              "涨了50%的");
    EXPECT_EQ(chinese_ocr_text(read_as({{"好", 0.95f, ""}, {"啦", 0.95f, ""}, {"~", 0.9f, "了"}}), ""), "好啦～");
    EXPECT_EQ(chinese_ocr_text(read_as({{"￥", 0.9f, "半"}, {"5", 0.95f, ""}, {"块", 0.95f, ""}}), ""), "￥5块");
    // A symbol of several code points is kept whole.
    EXPECT_EQ(chinese_ocr_text(read_as({{"好", 0.95f, ""}, {"fi", 0.9f, "了"}, {"吗", 0.95f, ""}}), ""), "好fi吗");
}

TEST(ChineseOcrText, WithoutSymbolsTheTextIsNormalised) { EXPECT_EQ(chinese_ocr_text({}, "你 好 ?"), "你好？"); }
