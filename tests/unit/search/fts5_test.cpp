// The tokenizer inside SQLite's FTS5 (a real in-memory database): the queries issue 15 names
// find their lines, in Chinese, Thai, Arabic and Spanish, phrases too; a query cannot be read
// as FTS5 syntax; highlights fall on the words found.
#include "search/fts5.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "support/search_sample.hpp"

using namespace dramaloc;
using namespace dramaloc::search;

namespace {

class Fts5 : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
        test::index_sample_in_fts5(db_);
    }
    void TearDown() override { sqlite3_close(db_); }

    std::vector<int> find(const std::string& query) { return test::fts5_hits(db_, query); }

    std::string highlighted(const std::string& query, int row) {
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db_, "SELECT highlight(lines, 0, '[', ']') FROM lines WHERE lines MATCH ? AND rowid = ?", -1, &s, nullptr);
        const std::string match = fts5_query(query);
        sqlite3_bind_text(s, 1, match.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 2, row);
        std::string out;
        if (sqlite3_step(s) == SQLITE_ROW) out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
        return out;
    }

    sqlite3* db_ = nullptr;
};

}  // namespace

TEST_F(Fts5, OneAndTwoHanCharactersFindTheirLinesAndLongerOnesArePhrases) {
    EXPECT_EQ(find("林"), (std::vector<int>{1, 2}));
    EXPECT_EQ(find("合同"), (std::vector<int>{1}));
    EXPECT_EQ(find("好了"), (std::vector<int>{1, 2}));
    EXPECT_EQ(find("集团的合同"), (std::vector<int>{1}));
    EXPECT_EQ(find("集团合同"), (std::vector<int>{})) << "the characters in that order only";
    EXPECT_EQ(highlighted("合同", 1), "林氏集团的[合同]已经签好了。");
}

TEST_F(Fts5, AThaiWordIsFoundInsideAnUnspacedSentenceAndNotAcrossAWordBoundary) {
    EXPECT_EQ(find("โรงเรียน"), (std::vector<int>{4}));
    EXPECT_EQ(find("เรียน"), (std::vector<int>{5})) << "not the เรียน inside โรงเรียน";
}

TEST_F(Fts5, ArabicIsFoundWithOrWithoutDiacriticsAndWithAlefVariants) {
    EXPECT_EQ(find("المحطة"), (std::vector<int>{6}));
    EXPECT_EQ(find("المَحَطَّة"), (std::vector<int>{6}));
    EXPECT_EQ(find("الى"), (std::vector<int>{7})) << "إلى written without hamza";
    EXPECT_EQ(find("المدرسه"), (std::vector<int>{7})) << "teh marbuta written as heh";
}

TEST_F(Fts5, SpanishIsFoundWithOrWithoutAccentsAndPhrasesKeepTheirOrder) {
    EXPECT_EQ(find("estacion"), (std::vector<int>{8, 9}));
    EXPECT_EQ(find("ESTACIÓN"), (std::vector<int>{8, 9}));
    EXPECT_EQ(find("\"estación de tren\""), (std::vector<int>{9}));
    EXPECT_EQ(find("\"de tren estación\""), (std::vector<int>{}));
    EXPECT_EQ(find("estación tren"), (std::vector<int>{9})) << "every word is required";
    EXPECT_EQ(find("lin contract"), (std::vector<int>{10}));
}

TEST_F(Fts5, AQueryIsNeverReadAsFts5Syntax) {
    EXPECT_EQ(find("text:contract"), (std::vector<int>{})) << "the phrase \"text contract\", not a filter on column text (row 10)";
    EXPECT_EQ(find("contract OR NEAR("), (std::vector<int>{})) << "OR and NEAR are words, and not in row 10";
    EXPECT_EQ(find("\"unclosed"), (std::vector<int>{}));
    EXPECT_EQ(fts5_query(" ?! "), "") << "no words, no query";
    EXPECT_EQ(fts5_query("say \"hi there\""), "\"say\" \"hi there\"");
}
