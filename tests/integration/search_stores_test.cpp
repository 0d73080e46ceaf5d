// The library's tokens on both stores: the same lines indexed in SQLite (FTS5, the "dramaloc"
// tokenizer) and in a throwaway PostgreSQL (tsvector literals, GIN index), the same queries
// asked of both: the same hits in the same order, and the hits issue 15 names.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "search/fts5.hpp"
#include "search/library.hpp"
#include "search/postgres_text.hpp"
#include "support/postgres_server.hpp"
#include "support/search_sample.hpp"
#include "support/test_support.hpp"

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

namespace {

// A small library: two series; episodes ep1, ep2 and ep10 (series order 1, 2, 3) of "drama",
// each line of the sample in its language, with the Chinese source beside it.
std::vector<search::LibraryLine> library_sample(const std::string& series, const std::string& episode, int order) {
    const auto& text = test::search_sample_lines();
    const std::vector<std::string> languages = {"zh", "zh", "zh", "th", "th", "ar", "ar", "es", "es", "en", "fr"};
    std::vector<search::LibraryLine> out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        search::LibraryLine l;
        l.series = series;
        l.episode = episode;
        l.episode_order = order;
        l.language = languages[i];
        l.is_source = l.language == "zh";
        l.line = static_cast<int>(i + 1);
        l.start_ms = 1000 * static_cast<std::int64_t>(10 - i);  // later lines earlier: the order is by time, not id
        l.end_ms = l.start_ms + 900;
        l.speaker = i % 2 ? "lin" : "chen";
        l.source = text[i % 3];
        l.text = text[i];
        if (i == 9) l.qc = {"max_chars_per_second", "min_duration"};
        l.edited = i == 7;
        l.approved = l.language == "es";
        out.push_back(l);
    }
    // COPY's escapes: a tab, a backslash and a line break in a line's text come back as they went.
    search::LibraryLine odd = out.back();
    odd.line = 99;
    odd.text = "tab\there \\N back\\slash\nnew line contract";
    out.push_back(odd);
    return out;
}

std::string hit_key(const search::LibraryHit& h) {
    std::string key = h.line.series + "/" + h.line.episode + "/" + h.line.language + "/" + std::to_string(h.line.line);
    for (const auto& [s, e] : h.matches) key += " [" + std::to_string(s) + "," + std::to_string(e) + ")";
    return key;
}

}  // namespace

TEST(SearchStores, TheLibraryGivesTheSameHitsInTheSameOrderOnBothStores) {
    test::TempDir dir;
    auto lite = search::open_library_index((dir.path() / "jobs.db").string());
    auto pg = search::open_library_index(test::shared_postgres().create_database());
    for (auto* index : {lite.get(), pg.get()}) {
        index->replace_episode("drama", "ep10", library_sample("drama", "ep10", 3));
        index->replace_episode("drama", "ep2", library_sample("drama", "ep2", 2));
        index->replace_episode("drama", "ep1", library_sample("drama", "ep1", 1));
        index->replace_episode("other", "ep1", library_sample("other", "ep1", 1));
        index->replace_episode("drama", "ep2", library_sample("drama", "ep2", 2));  // published again: replaced, not added
        EXPECT_EQ(index->count("drama"), 36) << index->describe();
    }
    const auto ask = [&](search::LibraryQuery q) {
        const auto a = lite->search(q);
        const auto b = pg->search(q);
        std::vector<std::string> ka, kb;
        for (const auto& h : a) ka.push_back(hit_key(h));
        for (const auto& h : b) kb.push_back(hit_key(h));
        EXPECT_EQ(ka, kb) << "query \"" << q.text << "\"";
        for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) EXPECT_EQ(a[i].line, b[i].line) << ka[i];
        return ka;
    };
    search::LibraryQuery q;
    q.series = "drama";
    q.text = "林";
    EXPECT_EQ(ask(q), (std::vector<std::string>{"drama/ep1/zh/2 [0,3)", "drama/ep1/zh/1 [0,3)", "drama/ep2/zh/2 [0,3)",
                                                "drama/ep2/zh/1 [0,3)", "drama/ep10/zh/2 [0,3)", "drama/ep10/zh/1 [0,3)"}));
    q.text = "合同";
    q.episode = "ep2";
    EXPECT_EQ(ask(q), (std::vector<std::string>{"drama/ep2/zh/1 [15,21)"}));
    q.episode.clear();
    q.language = "th";
    q.text = "โรงเรียน";
    EXPECT_EQ(ask(q).size(), 3u);
    q.language = "ar";
    q.text = "المَحَطَّة";
    EXPECT_EQ(ask(q).size(), 3u);
    q.text = "الى";
    EXPECT_EQ(ask(q).size(), 3u);
    q.language.clear();
    q.text = "\"estacion de tren\"";
    EXPECT_EQ(ask(q), (std::vector<std::string>{"drama/ep1/es/9 [3,20)", "drama/ep2/es/9 [3,20)", "drama/ep10/es/9 [3,20)"}));
    // Filters: character, edited, approved, QC rule, time; and the odd line's text as it was.
    q.text = "contract";
    q.character = "lin";
    const auto contract = ask(q);
    EXPECT_EQ(contract, (std::vector<std::string>{"drama/ep1/en/10 [20,28)", "drama/ep2/en/10 [20,28)", "drama/ep10/en/10 [20,28)"}));
    q.character.clear();
    q.qc = "min_duration";
    EXPECT_EQ(ask(q).size(), 3u);
    q.qc = "min_%";  // LIKE's wildcards are text
    EXPECT_TRUE(ask(q).empty());
    q.qc.clear();
    q.text.clear();
    q.edited = true;
    EXPECT_EQ(ask(q), (std::vector<std::string>{"drama/ep1/es/8", "drama/ep2/es/8", "drama/ep10/es/8"}));
    q.edited.reset();
    q.approved = true;
    q.episode = "ep1";
    EXPECT_EQ(ask(q), (std::vector<std::string>{"drama/ep1/es/9", "drama/ep1/es/8"}));
    q.approved.reset();
    q.from_ms = q.to_ms = 2500;  // on screen at 00:02.500: line 9 (2000–2900)
    EXPECT_EQ(ask(q), (std::vector<std::string>{"drama/ep1/es/9"}));
    q.from_ms.reset();
    q.to_ms.reset();
    q.text = "tab";
    EXPECT_EQ(ask(q).size(), 1u);  // the same line, text and all, from both stores
    const auto odd = pg->search(q);
    ASSERT_EQ(odd.size(), 1u);
    EXPECT_EQ(odd[0].line.text, "tab\there \\N back\\slash\nnew line contract");
    // Paging, and nothing to search by.
    q = {};
    q.text = "estacion";
    q.limit = 2;
    q.offset = 1;
    EXPECT_EQ(ask(q), (std::vector<std::string>{"drama/ep1/es/8 [18,27)", "drama/ep2/es/9 [3,12)"}));
    EXPECT_THROW(lite->search(search::LibraryQuery{}), UsageError);
    EXPECT_THROW(pg->search(search::LibraryQuery{}), UsageError);
    for (auto* index : {lite.get(), pg.get()}) {
        index->remove_series("drama");
        EXPECT_EQ(index->count("drama"), 0);
        EXPECT_EQ(index->count(), 12);
    }
}
