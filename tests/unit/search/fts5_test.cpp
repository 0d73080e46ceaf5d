// The tokenizer inside SQLite's FTS5 (a real in-memory database): the queries issue 15 names
// find their lines, in Chinese, Thai, Arabic and Spanish, phrases too; a query cannot be read
// as FTS5 syntax; highlights fall on the words found.
#include "search/fts5.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <string>
#include <vector>

using namespace dramaloc::search;

namespace {

class Fts5 : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
        register_fts5_tokenizer(db_);
        exec("CREATE VIRTUAL TABLE lines USING fts5(text, tokenize = 'dramaloc')");
        const std::vector<std::string> rows = {
            "林氏集团的合同已经签好了。",   // 1
            "林小姐，车准备好了。",         // 2
            "我们明天见。",                 // 3
            "ฉันไปโรงเรียนทุกวัน",          // 4
            "เขาเรียนหนังสือ",              // 5
            "أين المحطة؟",                  // 6
            "إلى المدرسة",                  // 7
            "¿Dónde está la estación?",     // 8
            "La estación de tren",          // 9
            "Miss Lin signed the contract.",  // 10
        };
        for (std::size_t i = 0; i < rows.size(); ++i) {
            sqlite3_stmt* s = nullptr;
            sqlite3_prepare_v2(db_, "INSERT INTO lines(rowid, text) VALUES (?, ?)", -1, &s, nullptr);
            sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(i + 1));
            sqlite3_bind_text(s, 2, rows[i].c_str(), -1, SQLITE_TRANSIENT);
            ASSERT_EQ(sqlite3_step(s), SQLITE_DONE) << sqlite3_errmsg(db_);
            sqlite3_finalize(s);
        }
    }
    void TearDown() override { sqlite3_close(db_); }

    void exec(const std::string& sql) { ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db_); }

    // The rows a person's query finds.
    std::set<int> find(const std::string& query) {
        std::set<int> out;
        const std::string match = fts5_query(query);
        if (match.empty()) return out;
        sqlite3_stmt* s = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db_, "SELECT rowid FROM lines WHERE lines MATCH ? ORDER BY rowid", -1, &s, nullptr), SQLITE_OK);
        sqlite3_bind_text(s, 1, match.c_str(), -1, SQLITE_TRANSIENT);
        int rc = 0;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.insert(sqlite3_column_int(s, 0));
        EXPECT_EQ(rc, SQLITE_DONE) << query << " -> " << match << ": " << sqlite3_errmsg(db_);
        sqlite3_finalize(s);
        return out;
    }

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
    EXPECT_EQ(find("林"), (std::set<int>{1, 2}));
    EXPECT_EQ(find("合同"), (std::set<int>{1}));
    EXPECT_EQ(find("好了"), (std::set<int>{1, 2}));
    EXPECT_EQ(find("集团的合同"), (std::set<int>{1}));
    EXPECT_EQ(find("集团合同"), (std::set<int>{})) << "the characters in that order only";
    EXPECT_EQ(highlighted("合同", 1), "林氏集团的[合同]已经签好了。");
}

TEST_F(Fts5, AThaiWordIsFoundInsideAnUnspacedSentenceAndNotAcrossAWordBoundary) {
    EXPECT_EQ(find("โรงเรียน"), (std::set<int>{4}));
    EXPECT_EQ(find("เรียน"), (std::set<int>{5})) << "not the เรียน inside โรงเรียน";
}

TEST_F(Fts5, ArabicIsFoundWithOrWithoutDiacriticsAndWithAlefVariants) {
    EXPECT_EQ(find("المحطة"), (std::set<int>{6}));
    EXPECT_EQ(find("المَحَطَّة"), (std::set<int>{6}));
    EXPECT_EQ(find("الى"), (std::set<int>{7})) << "إلى written without hamza";
    EXPECT_EQ(find("المدرسه"), (std::set<int>{7})) << "teh marbuta written as heh";
}

TEST_F(Fts5, SpanishIsFoundWithOrWithoutAccentsAndPhrasesKeepTheirOrder) {
    EXPECT_EQ(find("estacion"), (std::set<int>{8, 9}));
    EXPECT_EQ(find("ESTACIÓN"), (std::set<int>{8, 9}));
    EXPECT_EQ(find("\"estación de tren\""), (std::set<int>{9}));
    EXPECT_EQ(find("\"de tren estación\""), (std::set<int>{}));
    EXPECT_EQ(find("estación tren"), (std::set<int>{9})) << "every word is required";
    EXPECT_EQ(find("lin contract"), (std::set<int>{10}));
}

TEST_F(Fts5, AQueryIsNeverReadAsFts5Syntax) {
    EXPECT_EQ(find("text:contract"), (std::set<int>{})) << "the phrase \"text contract\", not a filter on column text (row 10)";
    EXPECT_EQ(find("contract OR NEAR("), (std::set<int>{})) << "OR and NEAR are words, and not in row 10";
    EXPECT_EQ(find("\"unclosed"), (std::set<int>{}));
    EXPECT_EQ(fts5_query(" ?! "), "") << "no words, no query";
    EXPECT_EQ(fts5_query("say \"hi there\""), "\"say\" \"hi there\"");
}
