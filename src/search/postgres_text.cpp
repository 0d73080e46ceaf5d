#include "search/postgres_text.hpp"

#include <vector>

#include "search/query.hpp"
#include "search/tokens.hpp"

namespace dramaloc::search {

namespace {

// A lexeme quoted for tsvector/tsquery input: ' doubled, \ escaped.
std::string quoted(const std::string& lexeme) {
    std::string out = "'";
    for (const char c : lexeme) {
        if (c == '\'') out += "''";
        else if (c == '\\') out += "\\\\";
        else out += c;
    }
    return out + "'";
}

}  // namespace

std::string tsvector_literal(std::string_view text) {
    std::string out;
    for (const auto& t : tokenize(text)) {
        if (t.position + 1 > 16383) break;  // PostgreSQL's largest position
        out += (out.empty() ? "" : " ") + quoted(t.text) + ":" + std::to_string(t.position + 1);
    }
    return out;
}

std::string tsquery_literal(std::string_view query) {
    std::string out;
    for (const auto& term : query_terms(query)) {
        std::string phrase;
        int words = 0;
        for (const auto& t : tokenize(term)) {
            phrase += (phrase.empty() ? "" : " <-> ") + quoted(t.text);
            ++words;
        }
        if (words == 0) continue;
        out += (out.empty() ? "" : " & ") + (words > 1 ? "( " + phrase + " )" : phrase);
    }
    return out;
}

}  // namespace dramaloc::search
