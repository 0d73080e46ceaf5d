#pragma once
// What the search tests index: lines in Chinese, Thai, Arabic, Spanish and English (row i+1
// is line i), and an FTS5 table of them with the library's tokenizer on a SQLite connection.
// Header-only: only the tests that link SQLite include it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "search/fts5.hpp"

namespace dramaloc::test {

inline const std::vector<std::string>& search_sample_lines() {
    static const std::vector<std::string> lines = {
        "林氏集团的合同已经签好了。",         // 1
        "林小姐，车准备好了。",               // 2
        "我们明天见。",                       // 3
        "ฉันไปโรงเรียนทุกวัน",                // 4
        "เขาเรียนหนังสือ",                    // 5
        "أين المحطة؟",                        // 6
        "إلى المدرسة",                        // 7
        "¿Dónde está la estación?",           // 8
        "La estación de tren",                // 9
        "Miss Lin signed the contract.",      // 10
        "It's l'été: \\ 'quoted' \"words\"",  // 11
    };
    return lines;
}

// CREATE VIRTUAL TABLE lines USING fts5(text, tokenize = 'dramaloc'), filled with the sample.
inline void index_sample_in_fts5(sqlite3* db) {
    search::register_fts5_tokenizer(db);
    ASSERT_EQ(sqlite3_exec(db, "CREATE VIRTUAL TABLE lines USING fts5(text, tokenize = 'dramaloc')", nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    const auto& lines = search_sample_lines();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db, "INSERT INTO lines(rowid, text) VALUES (?, ?)", -1, &s, nullptr);
        sqlite3_bind_int64(s, 1, static_cast<sqlite3_int64>(i + 1));
        sqlite3_bind_text(s, 2, lines[i].c_str(), -1, SQLITE_TRANSIENT);
        ASSERT_EQ(sqlite3_step(s), SQLITE_DONE) << sqlite3_errmsg(db);
        sqlite3_finalize(s);
    }
}

// The rows a person's query finds in that table, in order.
inline std::vector<int> fts5_hits(sqlite3* db, const std::string& query) {
    std::vector<int> out;
    const std::string match = search::fts5_query(query);
    if (match.empty()) return out;
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT rowid FROM lines WHERE lines MATCH ? ORDER BY rowid", -1, &s, nullptr), SQLITE_OK);
    sqlite3_bind_text(s, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    int rc = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) out.push_back(sqlite3_column_int(s, 0));
    EXPECT_EQ(rc, SQLITE_DONE) << query << " -> " << match << ": " << sqlite3_errmsg(db);
    sqlite3_finalize(s);
    return out;
}

}  // namespace dramaloc::test
