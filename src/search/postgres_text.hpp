#pragma once
// The library's tokens for PostgreSQL's full-text search: written as tsvector and tsquery
// literals, so PostgreSQL's own parser never cuts them again (its idea of a word differs
// from ICU's for Thai marks, Arabic and Han) and both stores see the same tokens at the same
// positions: `tokens tsvector` with a GIN index, `tokens @@ $1::tsquery`.
#include <string>
#include <string_view>

namespace dramaloc::search {

// "'tok':1 'tok':2 …" for a line (positions from 1); "" when it has no words.
std::string tsvector_literal(std::string_view text);

// A person's query as fts5_query reads it (words all required, "quoted" words a phrase), as a
// tsquery: "'a' & ( 'b' <-> 'c' )". "" when it has no words.
std::string tsquery_literal(std::string_view query);

}  // namespace dramaloc::search
