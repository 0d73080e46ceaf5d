#include "delivery/delivery_log.hpp"

#include "store/database.hpp"
#include "store/postgres_session.hpp"
#include "store/sqlite_statement.hpp"

namespace dramaloc::delivery {
namespace {

constexpr const char* kTable =
    "CREATE TABLE IF NOT EXISTS dramaloc_deliveries (series TEXT NOT NULL, episode TEXT NOT NULL, language TEXT NOT NULL, "
    "profile TEXT NOT NULL, profile_version INTEGER NOT NULL, destination TEXT NOT NULL, manifest TEXT NOT NULL, "
    "manifest_sha256 TEXT NOT NULL, approved_by TEXT NOT NULL, approved_at TEXT NOT NULL, delivered_ms BIGINT NOT NULL, "
    "PRIMARY KEY (series, episode, language, profile, destination))";

// Rows are selected in this order; an upsert writes them in it ($1/?1 … $11/?11).
constexpr const char* kColumns =
    "series, episode, language, profile, profile_version, destination, manifest, manifest_sha256, approved_by, approved_at, delivered_ms";
constexpr const char* kUpdate =
    " ON CONFLICT (series, episode, language, profile, destination) DO UPDATE SET profile_version = excluded.profile_version, "
    "manifest = excluded.manifest, manifest_sha256 = excluded.manifest_sha256, approved_by = excluded.approved_by, "
    "approved_at = excluded.approved_at, delivered_ms = excluded.delivered_ms";
constexpr const char* kOrder = " ORDER BY series, episode, language, profile, destination";

class SqliteDeliveryLog final : public DeliveryLog {
public:
    explicit SqliteDeliveryLog(const std::string& file) : file_(file), db_(store::open_sqlite(file, false, "delivery log")) {
        store::sqlite_exec(db_, "PRAGMA journal_mode = WAL", "delivery log " + file_);
        store::sqlite_exec(db_, kTable, "delivery log " + file_);
    }
    ~SqliteDeliveryLog() override { sqlite3_close(db_); }

    void record(const DeliveryRecord& d) override {
        store::SqliteStatement(db_,
                               std::string("INSERT INTO dramaloc_deliveries (") + kColumns +
                                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)" + kUpdate,
                               "delivery log " + file_)
            .bind(1, d.series).bind(2, d.episode).bind(3, d.language).bind(4, d.profile).bind(5, std::int64_t{d.profile_version})
            .bind(6, d.destination).bind(7, d.manifest).bind(8, d.manifest_sha256).bind(9, d.approved_by).bind(10, d.approved_at)
            .bind(11, d.delivered_ms).step();
    }
    std::vector<DeliveryRecord> list(const std::string& series) override {
        std::vector<DeliveryRecord> out;
        store::SqliteStatement s(db_, std::string("SELECT ") + kColumns + " FROM dramaloc_deliveries WHERE ?1 = '' OR series = ?1" + kOrder,
                                 "delivery log " + file_);
        for (s.bind(1, series); s.step();)
            out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), static_cast<int>(s.integer(4)), s.text(5), s.text(6), s.text(7),
                           s.text(8), s.text(9), s.integer(10)});
        return out;
    }
    std::string describe() const override { return "sqlite:" + file_; }

private:
    std::string file_;
    sqlite3* db_;
};

class PostgresDeliveryLog final : public DeliveryLog {
public:
    explicit PostgresDeliveryLog(const std::string& url) : db_(url, "delivery log") {
        db_.run([&](pqxx::work& w) {
            // DDL only when the table is missing (CREATE … IF NOT EXISTS waits for locks a paused
            // worker may hold), under the job store's schema lock.
            if (w.exec("SELECT to_regclass('dramaloc_deliveries') IS NULL")[0][0].as<bool>()) {
                w.exec("SELECT pg_advisory_xact_lock(7243051)");
                w.exec(kTable);
            }
            return 0;
        });
    }

    void record(const DeliveryRecord& d) override {
        db_.run([&](pqxx::work& w) {
            w.exec_params(std::string("INSERT INTO dramaloc_deliveries (") + kColumns +
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)" + kUpdate,
                          d.series, d.episode, d.language, d.profile, d.profile_version, d.destination, d.manifest, d.manifest_sha256,
                          d.approved_by, d.approved_at, d.delivered_ms);
            return 0;
        });
    }
    std::vector<DeliveryRecord> list(const std::string& series) override {
        return db_.run([&](pqxx::work& w) {
            std::vector<DeliveryRecord> out;
            for (const auto& r : w.exec_params(std::string("SELECT ") + kColumns + " FROM dramaloc_deliveries WHERE $1 = '' OR series = $1" + kOrder,
                                               series))
                out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
                               r[4].as<int>(), r[5].as<std::string>(), r[6].as<std::string>(), r[7].as<std::string>(),
                               r[8].as<std::string>(), r[9].as<std::string>(), r[10].as<std::int64_t>()});
            return out;
        });
    }
    std::string describe() const override { return db_.shown(); }

private:
    mutable store::PostgresSession db_;
};

}  // namespace

std::unique_ptr<DeliveryLog> open_delivery_log(const std::string& url) {
    const auto where = store::store_location(url);
    if (where.postgres) return std::make_unique<PostgresDeliveryLog>(url);
    return std::make_unique<SqliteDeliveryLog>(where.sqlite_file);
}

}  // namespace dramaloc::delivery
