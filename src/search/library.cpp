// The library's two stores. What they share is written once here: the columns, the filters
// (built with each store's placeholders), the order of hits and the highlights; what differs
// is how a line's words are kept (an FTS5 table with the library's tokenizer, or a tsvector
// literal of the same tokens) and how a query reaches them.
#include "search/library.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <mutex>
#include <pqxx/pqxx>
#include <sstream>
#include <tuple>

#include "core/error.hpp"
#include "store/database.hpp"
#include "store/postgres_session.hpp"
#include "store/sqlite_statement.hpp"
#include "search/fts5.hpp"
#include "search/postgres_text.hpp"
#include "search/query.hpp"
#include "search/tokens.hpp"

namespace dramaloc::search {
namespace {

const char* const kColumns =
    "series, episode, episode_order, language, is_source, line, start_ms, end_ms, speaker, source, text, qc, edited, approved";
// Series, episode in series order, language, time: the same on both stores (byte order, "C").
const char* const kOrderSqlite = "ORDER BY series, episode_order, episode, language, start_ms, line";
const char* const kOrderPostgres =
    "ORDER BY series COLLATE \"C\", episode_order, episode COLLATE \"C\", language COLLATE \"C\", start_ms, line";

// QC rules kept as " rule1 rule2 ", so that one rule is found with LIKE '% rule %'.
std::string qc_column(const std::vector<std::string>& rules) {
    std::string out = " ";
    for (const auto& r : rules) out += r + " ";
    return out;
}
std::vector<std::string> qc_rules(const std::string& column) {
    std::vector<std::string> out;
    std::istringstream in(column);
    for (std::string r; in >> r;) out.push_back(r);
    return out;
}
std::string like_escaped(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

bool has_filter(const LibraryQuery& q) {
    return !q.series.empty() || !q.episode.empty() || !q.language.empty() || !q.character.empty() || !q.qc.empty() ||
           q.edited || q.approved || q.from_ms || q.to_ms;
}

// The filters' SQL, with `placeholder(n)` for the n-th parameter (from 1), and the parameters
// as text (each cast where a number or a truth value is compared).
struct Where {
    std::string sql;
    std::vector<std::string> params;
};
Where filters(const LibraryQuery& q, const std::function<std::string(std::size_t)>& placeholder, const char* integer, const char* truth) {
    Where w;
    const auto add = [&](const std::string& condition_before, const std::string& value, const std::string& after = "") {
        w.params.push_back(value);
        w.sql += " AND " + condition_before + placeholder(w.params.size()) + after;
    };
    if (!q.series.empty()) add("series = ", q.series);
    if (!q.episode.empty()) add("episode = ", q.episode);
    if (!q.language.empty()) add("language = ", q.language);
    if (!q.character.empty()) add("speaker = ", q.character);
    if (!q.qc.empty()) add("qc LIKE ", "% " + like_escaped(q.qc) + " %", " ESCAPE '\\'");
    if (q.edited) add("edited = ", *q.edited ? "1" : "0", truth);
    if (q.approved) add("approved = ", *q.approved ? "1" : "0", truth);
    if (q.from_ms) add("end_ms >= ", std::to_string(*q.from_ms), integer);
    if (q.to_ms) add("start_ms <= ", std::to_string(*q.to_ms), integer);
    return w;
}

}  // namespace

void check_query(const LibraryQuery& q) {
    if (q.text.find_first_not_of(" \t\r\n") == std::string::npos && !has_filter(q))
        throw UsageError("give words to search for, or at least one filter (series, episode, language, character, QC rule, edited, approved, time)");
    if (q.limit < 1 || q.limit > 1000) throw UsageError("the number of hits asked for must be between 1 and 1000");
    if (q.offset < 0) throw UsageError("the offset of the first hit must not be negative");
}

namespace {

LibraryHit make_hit(LibraryLine line, const std::string& query) {
    LibraryHit hit;
    if (!query.empty()) hit.matches = find_matches(line.text, query);
    hit.line = std::move(line);
    return hit;
}

// ---- SQLite --------------------------------------------------------------------------------

// Its statements' errors say "library index: …".
class Statement : public store::SqliteStatement {
public:
    Statement(sqlite3* db, const std::string& sql) : store::SqliteStatement(db, sql, "library index") {}
};

class SqliteLibrary final : public LibraryIndex {
public:
    SqliteLibrary(const std::string& file, bool read_only) : file_(file) {
        if (read_only && !std::filesystem::exists(file))
            throw InputError("library index " + file + " does not exist; check the path (--db), or build it with dramaloc reindex");
        db_ = store::open_sqlite(file, read_only, "library index");
        register_fts5_tokenizer(db_);
        exec("PRAGMA case_sensitive_like = ON");  // as PostgreSQL's LIKE (the QC rule filter)
        if (read_only) {
            Statement s(db_, "SELECT count(*) FROM sqlite_master WHERE name = 'dramaloc_lines_fts'");
            s.step();
            if (s.integer(0) == 0) throw InputError("library index " + file + " holds no library yet; build it with dramaloc reindex, or run the series");
            return;
        }
        exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA synchronous = NORMAL");
        exec("BEGIN IMMEDIATE");
        try {
            exec("CREATE TABLE IF NOT EXISTS dramaloc_lines (id INTEGER PRIMARY KEY, series TEXT NOT NULL, episode TEXT NOT NULL, "
                 "episode_order INTEGER NOT NULL, language TEXT NOT NULL, is_source INTEGER NOT NULL, line INTEGER NOT NULL, "
                 "start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, speaker TEXT NOT NULL, source TEXT NOT NULL, text TEXT NOT NULL, "
                 "qc TEXT NOT NULL, edited INTEGER NOT NULL, approved INTEGER NOT NULL, UNIQUE (series, episode, language, line));"
                 "CREATE INDEX IF NOT EXISTS dramaloc_lines_episode ON dramaloc_lines (episode, language);"
                 // The hits' order: a query for a common word walks it and stops at the limit.
                 "CREATE INDEX IF NOT EXISTS dramaloc_lines_order ON dramaloc_lines (series, episode_order, episode, language, start_ms, line);"
                 "CREATE VIRTUAL TABLE IF NOT EXISTS dramaloc_lines_fts USING fts5(text, content = 'dramaloc_lines', "
                 "content_rowid = 'id', tokenize = 'dramaloc');"
                 "CREATE TRIGGER IF NOT EXISTS dramaloc_lines_added AFTER INSERT ON dramaloc_lines BEGIN "
                 "INSERT INTO dramaloc_lines_fts (rowid, text) VALUES (new.id, new.text); END;"
                 "CREATE TRIGGER IF NOT EXISTS dramaloc_lines_removed AFTER DELETE ON dramaloc_lines BEGIN "
                 "INSERT INTO dramaloc_lines_fts (dramaloc_lines_fts, rowid, text) VALUES ('delete', old.id, old.text); END;");
            exec("COMMIT");
        } catch (...) {
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }
    ~SqliteLibrary() override { sqlite3_close(db_); }

    void replace_episode(const std::string& series, const std::string& episode, const std::vector<LibraryLine>& lines) override {
        std::lock_guard lock(mutex_);
        transaction([&] {
            Statement(db_, "DELETE FROM dramaloc_lines WHERE series = ?1 AND episode = ?2").bind(1, series).bind(2, episode).step();
            Statement insert(db_, std::string("INSERT INTO dramaloc_lines (") + kColumns +
                                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
            for (const auto& l : lines) {
                insert.bind(1, series).bind(2, episode).bind(3, l.episode_order).bind(4, l.language).bind(5, l.is_source ? 1 : 0)
                    .bind(6, l.line).bind(7, l.start_ms).bind(8, l.end_ms).bind(9, l.speaker).bind(10, l.source).bind(11, l.text)
                    .bind(12, qc_column(l.qc)).bind(13, l.edited ? 1 : 0).bind(14, l.approved ? 1 : 0);
                insert.step();
                insert.reset();
            }
        });
    }

    void remove_series(const std::string& series) override {
        std::lock_guard lock(mutex_);
        transaction([&] { Statement(db_, "DELETE FROM dramaloc_lines WHERE series = ?1").bind(1, series).step(); });
    }

    std::vector<LibraryHit> search(const LibraryQuery& q) override {
        check_query(q);
        const std::string match = fts5_query(q.text);
        if (match.empty() && q.text.find_first_not_of(" \t\r\n") != std::string::npos) return {};  // only punctuation
        const auto where = filters(q, [](std::size_t n) { return "?" + std::to_string(n); }, "", "");
        std::string sql = std::string("SELECT ") + kColumns + " FROM dramaloc_lines WHERE 1 = 1" + where.sql;
        const std::size_t match_index = where.params.size() + 1;
        if (!match.empty())
            sql += " AND id IN (SELECT rowid FROM dramaloc_lines_fts WHERE dramaloc_lines_fts MATCH ?" + std::to_string(match_index) + ")";
        sql += std::string(" ") + kOrderSqlite + " LIMIT " + std::to_string(q.limit) + " OFFSET " + std::to_string(q.offset);
        std::lock_guard lock(mutex_);
        Statement s(db_, sql);
        for (std::size_t i = 0; i < where.params.size(); ++i) s.bind(static_cast<int>(i + 1), where.params[i]);
        if (!match.empty()) s.bind(static_cast<int>(match_index), match);
        std::vector<LibraryHit> hits;
        while (s.step()) {
            LibraryLine l;
            l.series = s.text(0);
            l.episode = s.text(1);
            l.episode_order = static_cast<int>(s.integer(2));
            l.language = s.text(3);
            l.is_source = s.integer(4) != 0;
            l.line = static_cast<int>(s.integer(5));
            l.start_ms = s.integer(6);
            l.end_ms = s.integer(7);
            l.speaker = s.text(8);
            l.source = s.text(9);
            l.text = s.text(10);
            l.qc = qc_rules(s.text(11));
            l.edited = s.integer(12) != 0;
            l.approved = s.integer(13) != 0;
            hits.push_back(make_hit(std::move(l), q.text));
        }
        return hits;
    }

    std::int64_t count(const std::string& series) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "SELECT count(*) FROM dramaloc_lines WHERE ?1 = '' OR series = ?1");
        s.bind(1, series).step();
        return s.integer(0);
    }

    std::string describe() const override { return file_; }

private:
    void exec(const std::string& sql) { store::sqlite_exec(db_, sql, "library index " + file_); }
    template <typename Body>
    void transaction(Body&& body) {
        exec("BEGIN IMMEDIATE");
        try {
            body();
            exec("COMMIT");
        } catch (...) {
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }

    std::string file_;
    sqlite3* db_ = nullptr;
    std::mutex mutex_;  // one statement at a time on the connection
};

// ---- PostgreSQL ----------------------------------------------------------------------------

class PostgresLibrary final : public LibraryIndex {
    store::PostgresSession db_;

public:
    explicit PostgresLibrary(const std::string& url) : db_(url, "library index") {
        db_.run([&](pqxx::work& w) {
            // The newest index named: a database made by an older dramaloc gets what it lacks.
            if (w.exec("SELECT to_regclass('dramaloc_lines_order') IS NULL")[0][0].as<bool>()) {
                w.exec("SELECT pg_advisory_xact_lock(7243052)");  // one schema creation at a time
                w.exec("CREATE TABLE IF NOT EXISTS dramaloc_lines (id BIGSERIAL PRIMARY KEY, series TEXT NOT NULL, episode TEXT NOT NULL, "
                       "episode_order INTEGER NOT NULL, language TEXT NOT NULL, is_source BOOLEAN NOT NULL, line INTEGER NOT NULL, "
                       "start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, speaker TEXT NOT NULL, source TEXT NOT NULL, text TEXT NOT NULL, "
                       "qc TEXT NOT NULL, edited BOOLEAN NOT NULL, approved BOOLEAN NOT NULL, tokens TSVECTOR NOT NULL, "
                       "UNIQUE (series, episode, language, line));"
                       "CREATE INDEX IF NOT EXISTS dramaloc_lines_episode ON dramaloc_lines (episode, language);"
                       "CREATE INDEX IF NOT EXISTS dramaloc_lines_order ON dramaloc_lines (series COLLATE \"C\", episode_order, "
                       "episode COLLATE \"C\", language COLLATE \"C\", start_ms, line);"
                       "CREATE INDEX IF NOT EXISTS dramaloc_lines_tokens ON dramaloc_lines USING GIN (tokens)");
            }
            return 0;
        });
    }

    void replace_episode(const std::string& series, const std::string& episode, const std::vector<LibraryLine>& lines) override {
        db_.run([&](pqxx::work& w) {
            // One writer per episode at a time: two workers publishing it would otherwise both
            // delete the old rows and both insert.
            w.exec_params("SELECT pg_advisory_xact_lock(7243053, hashtext($1))", series + "/" + episode);
            w.exec_params("DELETE FROM dramaloc_lines WHERE series = $1 AND episode = $2", series, episode);
            pqxx::stream_to copy(w, "dramaloc_lines",
                                 std::vector<std::string>{"series", "episode", "episode_order", "language", "is_source", "line", "start_ms", "end_ms",
                                                          "speaker", "source", "text", "qc", "edited", "approved", "tokens"});
            for (const auto& l : lines)
                copy << std::make_tuple(series, episode, l.episode_order, l.language, l.is_source ? "t" : "f", l.line,
                                        static_cast<long long>(l.start_ms), static_cast<long long>(l.end_ms), l.speaker, l.source, l.text,
                                        qc_column(l.qc), l.edited ? "t" : "f", l.approved ? "t" : "f", tsvector_literal(l.text));
            copy.complete();
            return 0;
        });
    }

    void remove_series(const std::string& series) override {
        db_.run([&](pqxx::work& w) {
            w.exec_params("DELETE FROM dramaloc_lines WHERE series = $1", series);
            return 0;
        });
    }

    std::vector<LibraryHit> search(const LibraryQuery& q) override {
        check_query(q);
        const std::string tsquery = tsquery_literal(q.text);
        if (tsquery.empty() && q.text.find_first_not_of(" \t\r\n") != std::string::npos) return {};
        auto where = filters(q, [](std::size_t n) { return "$" + std::to_string(n); }, "::bigint", "::int::boolean");
        std::string sql = std::string("SELECT ") + kColumns + " FROM dramaloc_lines WHERE true" + where.sql;
        if (!tsquery.empty()) {
            where.params.push_back(tsquery);
            sql += " AND tokens @@ $" + std::to_string(where.params.size()) + "::tsquery";
        }
        sql += std::string(" ") + kOrderPostgres + " LIMIT " + std::to_string(q.limit) + " OFFSET " + std::to_string(q.offset);
        return db_.run([&](pqxx::work& w) {
            std::vector<LibraryHit> hits;
            for (const auto& r : w.exec_params(sql, pqxx::prepare::make_dynamic_params(where.params))) {
                LibraryLine l;
                l.series = r[0].as<std::string>();
                l.episode = r[1].as<std::string>();
                l.episode_order = r[2].as<int>();
                l.language = r[3].as<std::string>();
                l.is_source = r[4].as<bool>();
                l.line = r[5].as<int>();
                l.start_ms = r[6].as<long long>();
                l.end_ms = r[7].as<long long>();
                l.speaker = r[8].as<std::string>();
                l.source = r[9].as<std::string>();
                l.text = r[10].as<std::string>();
                l.qc = qc_rules(r[11].as<std::string>());
                l.edited = r[12].as<bool>();
                l.approved = r[13].as<bool>();
                hits.push_back(make_hit(std::move(l), q.text));
            }
            return hits;
        });
    }

    std::int64_t count(const std::string& series) override {
        return db_.run([&](pqxx::work& w) {
            return w.exec_params("SELECT count(*) FROM dramaloc_lines WHERE $1 = '' OR series = $1", series)[0][0].as<long long>();
        });
    }

    std::string describe() const override { return db_.shown(); }

};

}  // namespace

bool library_order(const LibraryLine& a, const LibraryLine& b) {
    return std::tie(a.series, a.episode_order, a.episode, a.language, a.start_ms, a.line) <
           std::tie(b.series, b.episode_order, b.episode, b.language, b.start_ms, b.line);
}

std::vector<std::pair<std::size_t, std::size_t>> find_matches(const std::string& text, const std::string& query) {
    const auto tokens = tokenize(text);
    std::vector<std::pair<std::size_t, std::size_t>> out;
    for (const auto& term : query_terms(query)) {
        std::vector<std::string> words;
        for (auto& t : tokenize(term)) words.push_back(std::move(t.text));
        for (std::size_t i = 0; i < tokens.size(); ++i)
            if (words_at(tokens, i, words)) out.emplace_back(tokens[i].start, tokens[i + words.size() - 1].end);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::unique_ptr<LibraryIndex> open_library_index(const std::string& url, bool read_only) {
    const auto where = store::store_location(url);
    if (where.postgres) return std::make_unique<PostgresLibrary>(url);
    return std::make_unique<SqliteLibrary>(where.sqlite_file, read_only);
}

}  // namespace dramaloc::search
