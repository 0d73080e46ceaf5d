#include "search/fts5.hpp"

#include <sqlite3.h>

#include "core/error.hpp"
#include "search/query.hpp"
#include "search/tokens.hpp"

namespace dramaloc::search {

namespace {

// FTS5 keeps no state per tokenizer instance: one static object stands for all of them.
struct Instance {};
Instance instance;

int create(void*, const char**, int, Fts5Tokenizer** out) {
    *out = reinterpret_cast<Fts5Tokenizer*>(&instance);
    return SQLITE_OK;
}

void destroy(Fts5Tokenizer*) {}

int tokenize_for_fts5(Fts5Tokenizer*, void* context, int, const char* text, int size,
                      int (*emit)(void*, int, const char*, int, int, int)) {
    try {
        for (const auto& t : tokenize(std::string_view(text, static_cast<std::size_t>(size)))) {
            const int rc = emit(context, 0, t.text.data(), static_cast<int>(t.text.size()), static_cast<int>(t.start), static_cast<int>(t.end));
            if (rc != SQLITE_OK) return rc;
        }
        return SQLITE_OK;
    } catch (const std::bad_alloc&) {
        return SQLITE_NOMEM;
    } catch (const std::exception&) {
        return SQLITE_ERROR;
    }
}

}  // namespace

void register_fts5_tokenizer(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) != SQLITE_OK)
        throw IoError(std::string("this SQLite has no full-text search (FTS5): ") + sqlite3_errmsg(db));
    sqlite3_bind_pointer(statement, 1, &api, "fts5_api_ptr", nullptr);
    sqlite3_step(statement);
    sqlite3_finalize(statement);
    if (!api) throw IoError("this SQLite has no full-text search (FTS5); install Debian's libsqlite3");
    fts5_tokenizer tokenizer{create, destroy, tokenize_for_fts5};
    if (api->xCreateTokenizer(api, "dramaloc", nullptr, &tokenizer, nullptr) != SQLITE_OK)
        throw IoError(std::string("cannot register the search tokenizer: ") + sqlite3_errmsg(db));
}

std::string fts5_query(std::string_view query) {
    std::string out;
    for (const auto& term : query_terms(query)) {
        if (tokenize(term).empty()) continue;  // punctuation alone
        std::string quoted = "\"";
        for (const char c : term) {
            if (c == '"') quoted += "\"\"";
            else quoted += c;
        }
        out += (out.empty() ? "" : " ") + quoted + "\"";
    }
    return out;
}

}  // namespace dramaloc::search
