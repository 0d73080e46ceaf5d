#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.hpp"
#include "subtitles/text.hpp"

using namespace dramaloc;
using namespace dramaloc::subtitles;

TEST(Text, GraphemesAreUserPerceivedCharacters) {
    EXPECT_EQ(grapheme_count("hello"), 5u);
    EXPECT_EQ(grapheme_count("h\u00E9llo"), 5u);       // precomposed é
    EXPECT_EQ(grapheme_count("he\u0301llo"), 5u);      // e + combining acute
    EXPECT_EQ(grapheme_count("你好。"), 3u);           // CJK: one per ideograph and mark
    EXPECT_EQ(grapheme_count("ที่นี่"), 2u);            // Thai: consonant + vowel + tone mark
    EXPECT_EQ(grapheme_count("\U0001F468\u200D\U0001F469\u200D\U0001F467"), 1u);  // emoji family
    EXPECT_EQ(grapheme_count(""), 0u);
}

TEST(Text, NfcComposes) {
    EXPECT_EQ(to_nfc("e\u0301"), "\u00E9");
    EXPECT_EQ(to_nfc("plain"), "plain");
}

TEST(Text, InvalidUtf8NamesFileAndLine) {
    try {
        require_utf8_text("line one\nline \xC3\x28 two\n", "ep1.srt");
        FAIL() << "accepted invalid UTF-8";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_EQ(m.rfind("ep1.srt:2: not valid UTF-8", 0), 0u) << m;
        EXPECT_NE(m.find("save the file as UTF-8"), std::string::npos) << m;
    }
    EXPECT_THROW(require_utf8_text("\xED\xA0\x80", "x"), InputError);  // UTF-16 surrogate
    EXPECT_THROW(require_utf8_text("\xC0\xAF", "x"), InputError);      // overlong '/'
    EXPECT_NO_THROW(require_utf8_text("ok \u00E9 你 \U0001F600", "x"));
}

TEST(Text, NulBytesMeanBinary) {
    try {
        require_utf8_text(std::string("abc\n\0def", 8), "movie.srt");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("movie.srt:2: contains NUL bytes"), std::string::npos) << e.what();
    }
}

TEST(Text, RepairReplacesBadBytes) {
    EXPECT_EQ(repair_utf8("a\xFF" "b"), "a\uFFFD" "b");
    EXPECT_TRUE(is_valid_utf8(repair_utf8("\xC3\x28\xE2\x82")));
}

TEST(Text, LatinBreaksAfterSpaces) {
    EXPECT_EQ(line_break_opportunities("Hello big world", "en"), (std::vector<std::size_t>{6, 10}));
}

TEST(Text, CjkBreaksBetweenIdeographsButNotBeforeClosingPunctuation) {
    const std::string text = "你好。我们走吧";
    const auto breaks = line_break_opportunities(text, "zh");
    const std::size_t before_full_stop = text.find("。");
    EXPECT_EQ(std::count(breaks.begin(), breaks.end(), before_full_stop), 0);
    EXPECT_EQ(std::count(breaks.begin(), breaks.end(), text.find("我")), 1);  // after the full stop
    EXPECT_EQ(std::count(breaks.begin(), breaks.end(), text.find("们")), 1);  // between ideographs
}

TEST(Text, ThaiUsesDictionaryBreaks) {
    const std::string text = "ฉันไม่รู้ว่าเขาจะกลับมา";  // "I don't know if he will come back", no spaces
    const auto breaks = line_break_opportunities(text, "th");
    ASSERT_GE(breaks.size(), 4u);
    // Word boundaries, never inside a character (a consonant and its marks).
    std::size_t graphemes = 0;
    for (std::size_t p : breaks) {
        EXPECT_EQ(grapheme_count(text.substr(0, p)) + grapheme_count(text.substr(p)), grapheme_count(text));
        graphemes = grapheme_count(text.substr(0, p));
    }
    EXPECT_GT(graphemes, 0u);
    EXPECT_EQ(std::count(breaks.begin(), breaks.end(), text.find("ไม่")), 1);  // "ฉัน|ไม่"
}

TEST(Text, RtlWrapping) {
    EXPECT_EQ(wrap_rtl_line("مرحبا!"), "\u202Bمرحبا!\u202C");
    EXPECT_EQ(unwrap_rtl_line(wrap_rtl_line("שלום, 2024")), "שלום, 2024");
    EXPECT_EQ(unwrap_rtl_line("plain"), "plain");
}

TEST(Text, ScriptHelpers) {
    EXPECT_TRUE(is_cjk_language("zh-Hans"));
    EXPECT_TRUE(is_cjk_language("ja"));
    EXPECT_FALSE(is_cjk_language("th"));
    EXPECT_FALSE(language_uses_spaces("zh"));
    EXPECT_FALSE(language_uses_spaces("th"));
    EXPECT_TRUE(language_uses_spaces("ko"));
    EXPECT_TRUE(language_uses_spaces("ar"));
    EXPECT_TRUE(is_cjk_codepoint(U'你'));
    EXPECT_TRUE(is_cjk_codepoint(U'。'));
    EXPECT_FALSE(is_cjk_codepoint(U'a'));
    EXPECT_EQ(trim("  \u00A0hi there \t"), "hi there");
}

TEST(Text, ALineAsAPersonTypedItIsOneVisibleLineWithinItsLength) {
    using dramaloc::subtitles::line_text_problem;
    EXPECT_EQ(line_text_problem("¿Dónde está la estación?", 84), "");
    EXPECT_EQ(line_text_problem("\u202Bمرحبا\u202C", 84), "") << "bidi embedding is formatting, not a control";
    EXPECT_EQ(line_text_problem("你好，世界", 32), "");
    for (const std::string& bad : {std::string("a\nb"), std::string("a\rb"), std::string("a\u2028b"), std::string("a\u2029b"),
                                  std::string("a\u0085b"), std::string("a\x01" "b"), std::string("a\x7F" "b"), std::string("a\0b", 3),
                                  std::string("a\u009Bb")})
        EXPECT_NE(line_text_problem(bad, 84), "") << bad;
    for (const std::string& blank : {std::string(""), std::string("   "), std::string("\u200B"), std::string("\u3000\u00A0"),
                                    std::string("\uFEFF\u200D")})
        EXPECT_NE(line_text_problem(blank, 84).find("blank"), std::string::npos) << blank;
    EXPECT_NE(line_text_problem("\xFF\xFE", 84).find("UTF-8"), std::string::npos);
    EXPECT_EQ(line_text_problem(std::string(84, 'a'), 84), "");
    EXPECT_NE(line_text_problem(std::string(85, 'a'), 84).find("85 characters"), std::string::npos);
    EXPECT_EQ(line_text_problem("e\u0301", 1), "") << "one grapheme";
    std::string zalgo = "a";
    for (int i = 0; i < 2000; ++i) zalgo += "\u0301";
    EXPECT_NE(line_text_problem(zalgo, 84).find("bytes"), std::string::npos) << "one grapheme of 4 KB";
}
