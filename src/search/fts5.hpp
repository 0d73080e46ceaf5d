#pragma once
// The library's tokenizer (search/tokens.hpp) inside SQLite's FTS5: registered on a connection
// as "dramaloc" (CREATE VIRTUAL TABLE … USING fts5(text, tokenize = 'dramaloc')), so lines are
// indexed and MATCH queries read by the same code; and a person's query turned into an FTS5
// query that cannot be misread as FTS5 syntax.
#include <string>
#include <string_view>

struct sqlite3;

namespace dramaloc::search {

// Registers the "dramaloc" tokenizer on `db`. Throws IoError when SQLite has no FTS5.
void register_fts5_tokenizer(sqlite3* db);

// A person's query as an FTS5 query: words are all required (AND), "double-quoted" words a
// phrase; every word or phrase is passed quoted, so FTS5 operators and column filters in it are
// just text, and tokenized by the library's tokenizer (a Han word becomes a phrase of its
// characters). "" when the query has no words.
std::string fts5_query(std::string_view query);

}  // namespace dramaloc::search
