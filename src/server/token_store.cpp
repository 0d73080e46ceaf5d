#include "server/token_store.hpp"

#include <mutex>
#include <set>
#include <utility>

#include "core/error.hpp"
#include "core/time.hpp"
#include "store/database.hpp"
#include "store/postgres_session.hpp"
#include "store/sqlite_statement.hpp"

namespace dramaloc::server {
namespace {

constexpr const char* kTable =
    "CREATE TABLE IF NOT EXISTS dramaloc_tokens (hash TEXT PRIMARY KEY, role TEXT NOT NULL, label TEXT NOT NULL DEFAULT '', "
    "created_ms BIGINT NOT NULL DEFAULT 0, expires_ms BIGINT NOT NULL DEFAULT 0, revoked_ms BIGINT NOT NULL DEFAULT 0, "
    "last_used_ms BIGINT NOT NULL DEFAULT 0)";

// Columns the table gained after stores were first made: added to an older one when it is
// opened (its tokens never expire and are live).
const std::vector<std::pair<std::string, std::string>> kColumnsAdded = {
    {"expires_ms", "BIGINT NOT NULL DEFAULT 0"}, {"revoked_ms", "BIGINT NOT NULL DEFAULT 0"}, {"last_used_ms", "BIGINT NOT NULL DEFAULT 0"}};

// Rows are selected in this order.
constexpr const char* kColumns = "hash, role, label, created_ms, expires_ms, revoked_ms, last_used_ms";

// The live tokens named `p` or whose id (the hash's first 12 digits) is `p` (a placeholder).
std::string named(const std::string& p) { return "revoked_ms = 0 AND (label = " + p + " OR substr(hash, 1, 12) = " + p + ")"; }

// ---- SQLite --------------------------------------------------------------------------------

class Statement : public store::SqliteStatement {
public:
    Statement(sqlite3* db, const std::string& sql) : store::SqliteStatement(db, sql, "token store") {}
};

class SqliteTokenStore final : public TokenStore {
public:
    explicit SqliteTokenStore(const std::string& file) : file_(file), db_(store::open_sqlite(file, false, "token store")) {
        exec("PRAGMA journal_mode = WAL");
        exec(kTable);
        std::set<std::string> columns = table_columns();
        for (const auto& [name, type] : kColumnsAdded) {
            if (columns.count(name)) continue;
            try {
                exec("ALTER TABLE dramaloc_tokens ADD COLUMN " + name + " " + type);
            } catch (const Error&) {
                // Another process opening the store added it first; anything else is still wrong.
                if (!table_columns().count(name)) throw;
            }
        }
    }
    ~SqliteTokenStore() override { sqlite3_close(db_); }

    void add(const std::string& sha256_hex, const std::string& role, const std::string& label, std::int64_t expires_ms) override {
        Statement(db_, "INSERT INTO dramaloc_tokens (hash, role, label, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(1, sha256_hex).bind(2, role).bind(3, label).bind(4, wall_clock_ms()).bind(5, expires_ms).step();
    }
    std::optional<TokenInfo> find(const std::string& sha256_hex) override {
        Statement s(db_, std::string("SELECT ") + kColumns + " FROM dramaloc_tokens WHERE hash = ?1");
        s.bind(1, sha256_hex);
        if (!s.step()) return std::nullopt;
        return read(s);
    }
    std::vector<TokenInfo> list() override {
        std::vector<TokenInfo> out;
        for (Statement s(db_, std::string("SELECT ") + kColumns + " FROM dramaloc_tokens ORDER BY created_ms, hash"); s.step();)
            out.push_back(read(s));
        return out;
    }
    int revoke(const std::string& name_or_id) override {
        std::lock_guard lock(mutex_);  // sqlite3_changes counts this connection's last statement
        Statement(db_, "UPDATE dramaloc_tokens SET revoked_ms = ?2 WHERE " + named("?1")).bind(1, name_or_id).bind(2, wall_clock_ms()).step();
        return sqlite3_changes(db_);
    }
    void touch(const std::string& sha256_hex) override {
        Statement(db_, "UPDATE dramaloc_tokens SET last_used_ms = ?2 WHERE hash = ?1").bind(1, sha256_hex).bind(2, wall_clock_ms()).step();
    }
    std::string describe() const override { return "sqlite:" + file_; }

private:
    static TokenInfo read(const Statement& s) {
        return TokenInfo{s.text(1), s.text(2), s.text(0), s.integer(3), s.integer(4), s.integer(5), s.integer(6)};
    }
    std::set<std::string> table_columns() {
        std::set<std::string> columns;
        for (Statement info(db_, "PRAGMA table_info(dramaloc_tokens)"); info.step();) columns.insert(info.text(1));
        return columns;
    }
    void exec(const std::string& statements) { store::sqlite_exec(db_, statements, "token store " + file_); }

    std::string file_;
    sqlite3* db_;
    std::mutex mutex_;
};

// ---- PostgreSQL ----------------------------------------------------------------------------

const std::string kNow = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

class PostgresTokenStore final : public TokenStore {
public:
    explicit PostgresTokenStore(const std::string& url) : db_(url, "token store") {
        db_.run([&](pqxx::work& w) {
            // DDL only when something is missing (checked without a lock first): CREATE … IF NOT
            // EXISTS still waits for the table's locks, which a paused worker may hold.
            const auto missing = w.exec(
                "SELECT to_regclass('dramaloc_tokens') IS NULL OR (SELECT count(*) FROM information_schema.columns WHERE "
                "table_schema = current_schema() AND table_name = 'dramaloc_tokens' AND column_name IN ('expires_ms', 'revoked_ms', "
                "'last_used_ms')) < 3")[0][0].as<bool>();
            if (missing) {
                w.exec("SELECT pg_advisory_xact_lock(7243051)");  // the job store's lock: one schema change at a time
                w.exec(kTable);
                for (const auto& [name, type] : kColumnsAdded) w.exec("ALTER TABLE dramaloc_tokens ADD COLUMN IF NOT EXISTS " + name + " " + type);
            }
            return 0;
        });
    }

    void add(const std::string& sha256_hex, const std::string& role, const std::string& label, std::int64_t expires_ms) override {
        db_.run([&](pqxx::work& w) {
            w.exec_params("INSERT INTO dramaloc_tokens (hash, role, label, created_ms, expires_ms) VALUES ($1, $2, $3, " + kNow + ", $4)",
                          sha256_hex, role, label, expires_ms);
            return 0;
        });
    }
    std::optional<TokenInfo> find(const std::string& sha256_hex) override {
        return db_.run([&](pqxx::work& w) -> std::optional<TokenInfo> {
            const auto r = w.exec_params(std::string("SELECT ") + kColumns + " FROM dramaloc_tokens WHERE hash = $1", sha256_hex);
            if (r.empty()) return std::nullopt;
            return read(r[0]);
        });
    }
    std::vector<TokenInfo> list() override {
        return db_.run([&](pqxx::work& w) {
            std::vector<TokenInfo> out;
            for (const auto& row : w.exec(std::string("SELECT ") + kColumns + " FROM dramaloc_tokens ORDER BY created_ms, hash"))
                out.push_back(read(row));
            return out;
        });
    }
    int revoke(const std::string& name_or_id) override {
        return db_.run([&](pqxx::work& w) {
            return static_cast<int>(
                w.exec_params("UPDATE dramaloc_tokens SET revoked_ms = " + kNow + " WHERE " + named("$1"), name_or_id).affected_rows());
        });
    }
    void touch(const std::string& sha256_hex) override {
        db_.run([&](pqxx::work& w) {
            w.exec_params("UPDATE dramaloc_tokens SET last_used_ms = " + kNow + " WHERE hash = $1", sha256_hex);
            return 0;
        });
    }
    std::string describe() const override { return db_.shown(); }

private:
    static TokenInfo read(const pqxx::row& r) {
        return TokenInfo{r[1].as<std::string>(),  r[2].as<std::string>(),  r[0].as<std::string>(),  r[3].as<std::int64_t>(),
                         r[4].as<std::int64_t>(), r[5].as<std::int64_t>(), r[6].as<std::int64_t>()};
    }
    mutable store::PostgresSession db_;
};

}  // namespace

std::unique_ptr<TokenStore> open_token_store(const std::string& url) {
    const auto where = store::store_location(url);
    if (where.postgres) return std::make_unique<PostgresTokenStore>(url);
    return std::make_unique<SqliteTokenStore>(where.sqlite_file);
}

}  // namespace dramaloc::server
