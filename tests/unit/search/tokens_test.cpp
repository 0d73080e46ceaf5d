// The library's tokenizer: what a line is indexed as and what a query is read as, in Chinese,
// Thai, Arabic, Spanish and mixed lines, with offsets that point back into the line.
#include "search/tokens.hpp"

#include "search/postgres_text.hpp"
#include "search/query.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace dramaloc::search;

namespace {

std::vector<std::string> texts(const std::string& line) {
    std::vector<std::string> out;
    for (const auto& t : tokenize(line)) out.push_back(t.text);
    return out;
}

}  // namespace

TEST(SearchTokens, SpanishFoldsCaseAndAccentsAndWidth) {
    EXPECT_EQ(fold("Canción"), fold("cancion"));
    EXPECT_EQ(fold("CANCIÓN"), "cancion");
    EXPECT_EQ(fold("ＡＢＣ"), "abc") << "full-width letters (NFKC)";
    EXPECT_EQ(fold("Straße"), "strasse") << "case folding, not lower-casing";
    EXPECT_EQ(texts("¿Dónde está la estación?"), (std::vector<std::string>{"donde", "esta", "la", "estacion"}));
}

TEST(SearchTokens, ArabicLosesTashkeelAndTatweelAndFoldsLetterVariants) {
    EXPECT_EQ(fold("أَيْنَ"), "اين") << "diacritics and hamza on alef";
    EXPECT_EQ(fold("اين"), "اين") << "the plain form is its own fold";
    EXPECT_EQ(fold("إلى"), "الي") << "alef with hamza below, alef maqsura";
    EXPECT_EQ(fold("آمنة"), "امنه") << "alef with madda, teh marbuta";
    EXPECT_NE(fold("من"), fold("منه")) << "letters that are not variants stay apart";
    EXPECT_EQ(fold("مـــدرسة"), fold("مدرسه")) << "tatweel";
    EXPECT_EQ(texts("أين المحطة؟"), (std::vector<std::string>{fold("اين"), fold("المحطه")}));
}

TEST(SearchTokens, ThaiIsCutIntoDictionaryWordsAndKeepsItsMarks) {
    const auto words = texts("ฉันไปโรงเรียน");
    EXPECT_EQ(words, (std::vector<std::string>{"ฉัน", "ไป", "โรงเรียน"}));
    EXPECT_EQ(fold("ที่นี่"), "ที่นี่") << "Thai vowels and tone marks are letters, not accents";
}

TEST(SearchTokens, HanAndKanaAreOneTokenPerCharacterAtConsecutivePositions) {
    const std::string line = "林氏集团的合同。";
    const auto tokens = tokenize(line);
    ASSERT_EQ(tokens.size(), 7u);
    const std::vector<std::string> expected = {"林", "氏", "集", "团", "的", "合", "同"};
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        EXPECT_EQ(tokens[i].text, expected[i]);
        EXPECT_EQ(tokens[i].position, static_cast<int>(i));
        EXPECT_EQ(line.substr(tokens[i].start, tokens[i].end - tokens[i].start), expected[i]) << "offsets point back into the line";
    }
    EXPECT_EQ(texts("ありがとう"), (std::vector<std::string>{"あ", "り", "が", "と", "う"}));
}

TEST(SearchTokens, MixedLinesKeepOffsetsForHighlighting) {
    const std::string line = "Miss Lin 说: «contract» 2026!";
    const auto tokens = tokenize(line);
    std::vector<std::string> got;
    for (const auto& t : tokens) got.push_back(line.substr(t.start, t.end - t.start));
    EXPECT_EQ(got, (std::vector<std::string>{"Miss", "Lin", "说", "contract", "2026"}));
    EXPECT_EQ(tokens[1].text, "lin");
    EXPECT_TRUE(tokenize("").empty());
    EXPECT_TRUE(tokenize(" ¿?!… ").empty()) << "punctuation is not a token";
    EXPECT_EQ(texts(std::string("bad \xff utf8")), (std::vector<std::string>{"bad", "utf8"})) << "invalid bytes are not thrown";
}

TEST(SearchTokens, PostgresLiteralsCarryTheSameTokensAndPositions) {
    EXPECT_EQ(tsvector_literal("¿Dónde está?"), "'donde':1 'esta':2");
    EXPECT_EQ(tsvector_literal("合同"), "'合':1 '同':2");
    EXPECT_EQ(tsvector_literal("l'été \\ ok"), "'l''ete':1 'ok':2") << "quotes doubled";
    EXPECT_EQ(tsvector_literal(" … "), "");
    EXPECT_EQ(tsquery_literal("estación \"de tren\" 合同"), "'estacion' & ( 'de' <-> 'tren' ) & ( '合' <-> '同' )");
    EXPECT_EQ(tsquery_literal("!!"), "");
    EXPECT_EQ(query_terms("a  \"b c\" \"d"), (std::vector<std::string>{"a", "b c", "d"}));
}
