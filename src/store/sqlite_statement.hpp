#pragma once
// A prepared SQLite statement and a statement run for its effect, failing with IoError that
// names what the database is ("job store", "library index …"): shared by the job store and
// the library, which live in the same file.
#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace dramaloc::store {

class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, const std::string& sql, std::string what) : db_(db), what_(std::move(what)) {
        if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
            throw IoError(what_ + ": " + sqlite3_errmsg(db));
    }
    ~SqliteStatement() { sqlite3_finalize(stmt_); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    SqliteStatement& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    SqliteStatement& bind(int i, const std::string& v) {
        sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    // True while there is a row; throws IoError on failure.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw IoError(what_ + ": " + sqlite3_errmsg(db_));
    }
    // Ready to run again with new values.
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
    std::string text(int column) const {
        const auto* p = sqlite3_column_text(stmt_, column);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : "";
    }

private:
    sqlite3* db_;
    std::string what_;
    sqlite3_stmt* stmt_ = nullptr;
};

// Runs `statements` (one or several, no rows wanted). IoError "WHAT: why" on failure.
inline void sqlite_exec(sqlite3* db, const std::string& statements, const std::string& what) {
    char* message = nullptr;
    if (sqlite3_exec(db, statements.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string why = message ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        throw IoError(what + ": " + why);
    }
}

}  // namespace dramaloc::store
