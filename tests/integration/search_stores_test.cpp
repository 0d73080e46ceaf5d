// The library's tokens on both stores: the same lines indexed in SQLite (FTS5, the "dramaloc"
// tokenizer) and in a throwaway PostgreSQL (tsvector literals, GIN index), the same queries
// asked of both: the same hits in the same order, and the hits issue 15 names.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "search/fts5.hpp"
#include "search/postgres_text.hpp"
#include "support/postgres_server.hpp"

using namespace dramaloc;

namespace {

const std::vector<std::string> kLines = {
    "林氏集团的合同已经签好了。",      // 1
    "林小姐，车准备好了。",            // 2
    "我们明天见。",                    // 3
    "ฉันไปโรงเรียนทุกวัน",             // 4
    "เขาเรียนหนังสือ",                 // 5
    "أين المحطة؟",                     // 6
    "إلى المدرسة",                     // 7
    "¿Dónde está la estación?",        // 8
    "La estación de tren",             // 9
    "Miss Lin signed the contract.",   // 10
    "It's l'été: \\ 'quoted' \"words\"",  // 11
};

std::vector<int> sqlite_hits(sqlite3* db, const std::string& query) {
    std::vector<int> out;
    const std::string match = search::fts5_query(query);
    if (match.empty()) return out;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT rowid FROM lines WHERE lines MATCH ? ORDER BY rowid", -1, &s, nullptr);
    sqlite3_bind_text(s, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    int rc = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.push_back(sqlite3_column_int(s, 0));
    EXPECT_EQ(rc, SQLITE_DONE) << query << ": " << sqlite3_errmsg(db);
    sqlite3_finalize(s);
    return out;
}

std::vector<int> postgres_hits(pqxx::connection& db, const std::string& query) {
    std::vector<int> out;
    const std::string tsquery = search::tsquery_literal(query);
    if (tsquery.empty()) return out;
    pqxx::work w(db);
    for (const auto& row : w.exec_params("SELECT id FROM lines WHERE tokens @@ $1::tsquery ORDER BY id", tsquery)) out.push_back(row[0].as<int>());
    return out;
}

}  // namespace

TEST(SearchStores, SqliteAndPostgresFindTheSameLinesForEveryKindOfQuery) {
    sqlite3* lite = nullptr;
    ASSERT_EQ(sqlite3_open(":memory:", &lite), SQLITE_OK);
    search::register_fts5_tokenizer(lite);
    ASSERT_EQ(sqlite3_exec(lite, "CREATE VIRTUAL TABLE lines USING fts5(text, tokenize = 'dramaloc')", nullptr, nullptr, nullptr), SQLITE_OK);
    pqxx::connection pg(test::shared_postgres().create_database());
    {
        pqxx::work w(pg);
        w.exec("CREATE TABLE lines (id integer PRIMARY KEY, text text NOT NULL, tokens tsvector NOT NULL)");
        w.exec("CREATE INDEX lines_tokens ON lines USING gin (tokens)");
        for (std::size_t i = 0; i < kLines.size(); ++i)
            w.exec_params("INSERT INTO lines VALUES ($1, $2, $3::tsvector)", static_cast<int>(i + 1), kLines[i], search::tsvector_literal(kLines[i]));
        w.commit();
    }
    for (std::size_t i = 0; i < kLines.size(); ++i) {
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(lite, "INSERT INTO lines(rowid, text) VALUES (?, ?)", -1, &s, nullptr);
        sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(i + 1));
        sqlite3_bind_text(s, 2, kLines[i].c_str(), -1, SQLITE_TRANSIENT);
        ASSERT_EQ(sqlite3_step(s), SQLITE_DONE) << sqlite3_errmsg(lite);
        sqlite3_finalize(s);
    }
    const std::vector<std::pair<std::string, std::vector<int>>> queries = {
        {"林", {1, 2}},                          // one Han character
        {"合同", {1}},                           // two
        {"集团的合同", {1}},                     // a Han phrase
        {"集团合同", {}},                        // … in that order only
        {"โรงเรียน", {4}},                       // a Thai word inside an unspaced sentence
        {"เรียน", {5}},                          // not inside a longer word
        {"المَحَطَّة", {6}},                     // Arabic with diacritics
        {"الى", {7}},                            // an alef variant, alef maqsura
        {"estacion", {8, 9}},                    // Spanish without its accent
        {"ESTACIÓN", {8, 9}},
        {"\"estación de tren\"", {9}},           // a phrase
        {"\"de tren estación\"", {}},
        {"lin contract", {10}},                  // every word required
        {"l'été", {11}},                         // quotes and backslashes are text
        {"'quoted'", {11}},
        {"\\", {}},
        {"text:contract OR NEAR(", {}},          // no query syntax of either store
    };
    for (const auto& [query, expected] : queries) {
        const auto lite_hits = sqlite_hits(lite, query);
        EXPECT_EQ(lite_hits, expected) << "SQLite: " << query;
        EXPECT_EQ(postgres_hits(pg, query), lite_hits) << "PostgreSQL as SQLite: " << query << " (" << search::tsquery_literal(query) << ")";
    }
    sqlite3_close(lite);
}
