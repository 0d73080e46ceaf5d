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
#include "support/search_sample.hpp"

using namespace dramaloc;

namespace {

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
    test::index_sample_in_fts5(lite);
    const auto& kLines = test::search_sample_lines();
    pqxx::connection pg(test::shared_postgres().create_database());
    {
        pqxx::work w(pg);
        w.exec("CREATE TABLE lines (id integer PRIMARY KEY, text text NOT NULL, tokens tsvector NOT NULL)");
        w.exec("CREATE INDEX lines_tokens ON lines USING gin (tokens)");
        for (std::size_t i = 0; i < kLines.size(); ++i)
            w.exec_params("INSERT INTO lines VALUES ($1, $2, $3::tsvector)", static_cast<int>(i + 1), kLines[i], search::tsvector_literal(kLines[i]));
        w.commit();
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
        const auto lite_hits = test::fts5_hits(lite, query);
        EXPECT_EQ(lite_hits, expected) << "SQLite: " << query;
        EXPECT_EQ(postgres_hits(pg, query), lite_hits) << "PostgreSQL as SQLite: " << query << " (" << search::tsquery_literal(query) << ")";
    }
    sqlite3_close(lite);
}
