// The job store in a SQLite file (WAL): one machine, any number of processes. SQLite has
// one writer at a time, so a claim is a short BEGIN IMMEDIATE transaction: find the next
// claimable job, take it, commit; no row locks are needed to keep two workers apart.
#include "jobs/sqlite_job_store.hpp"

#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <stdexcept>

#include "core/error.hpp"
#include "core/subprocess.hpp"
#include "core/time.hpp"
#include "jobs/job_sql.hpp"
#include "store/database.hpp"
#include "store/sqlite_statement.hpp"

namespace dramaloc::jobs {
namespace {

// Its statements' errors say "job store: …".
class Statement : public store::SqliteStatement {
public:
    Statement(sqlite3* db, const std::string& sql) : store::SqliteStatement(db, sql, "job store") {}
};

JobStatus read_status(const Statement& s) {
    JobStatus j;
    j.key = s.text(0);
    j.kind = s.text(1);
    j.series = s.text(2);
    j.episode = s.text(3);
    j.language = s.text(4);
    j.state = job_state_from_string(s.text(5)).value_or(JobState::Pending);
    j.attempts = static_cast<int>(s.integer(6));
    j.max_attempts = static_cast<int>(s.integer(7));
    j.worker = s.text(8);
    j.error = s.text(9);
    j.result = s.text(10);
    j.started_ms = s.integer(11);
    j.finished_ms = s.integer(12);
    j.blocked = s.integer(13) != 0;
    j.id = s.integer(14);
    return j;
}

// One machine, so a worker's process can be asked after: a job held by a worker of this
// machine (named HOST:PID…, as dramaloc names them) whose process is gone is taken over at
// once, not when its lease runs out. Workers named otherwise wait for their lease.
void holder_gone(sqlite3_context* context, int, sqlite3_value** argv) {
    static const std::string prefix = host_name() + ":";
    const auto* text = sqlite3_value_text(argv[0]);
    const std::string worker = text ? reinterpret_cast<const char*>(text) : "";
    bool gone = false;
    if (worker.compare(0, prefix.size(), prefix) == 0) {
        const std::string rest = worker.substr(prefix.size());
        char* end = nullptr;
        const long pid = std::strtol(rest.c_str(), &end, 10);
        if (end != rest.c_str() && (*end == '\0' || *end == '/')) gone = pid > 0 && !process_exists(pid);
    }
    sqlite3_result_int(context, gone ? 1 : 0);
}

const std::string kHolderGone = "dramaloc_holder_gone(j.worker)";

class SqliteJobStore final : public JobStore {
public:
    explicit SqliteJobStore(const std::filesystem::path& file) : file_(file) {
        db_ = store::open_sqlite(file, false, "job store");
        sqlite3_create_function(db_, "dramaloc_holder_gone", 1, SQLITE_UTF8, nullptr, holder_gone, nullptr, nullptr);
        exec("PRAGMA journal_mode = WAL");
        exec("PRAGMA synchronous = NORMAL");
        std::string schema = sql::kSchema;
        schema.replace(schema.find("BIGINT_ID"), 9, "INTEGER PRIMARY KEY");
        exec(schema);
    }
    ~SqliteJobStore() override { sqlite3_close(db_); }

    void add(const std::vector<JobSpec>& jobs) override {
        std::lock_guard lock(mutex_);
        Transaction t(*this);
        for (const auto& j : jobs) {
            Statement(db_, "INSERT INTO dramaloc_jobs (key, kind, series, episode, language, priority, payload, max_attempts) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (key) DO NOTHING")
                .bind(1, j.key).bind(2, j.kind).bind(3, j.series).bind(4, j.episode).bind(5, j.language)
                .bind(6, j.priority).bind(7, j.payload).bind(8, j.max_attempts)
                .step();
            for (const auto& [parent, soft] : sql::dependencies(j)) {
                Statement s(db_, "INSERT INTO dramaloc_job_deps (child, parent, soft) SELECT c.id, p.id, ?3 FROM dramaloc_jobs c, dramaloc_jobs p "
                                 "WHERE c.key = ?1 AND p.key = ?2 ON CONFLICT DO NOTHING");
                s.bind(1, j.key).bind(2, parent).bind(3, soft ? 1 : 0).step();
                if (sqlite3_changes(db_) == 0 && !dependency_exists(j.key, parent))
                    throw ConfigError("job " + j.key + " depends on " + parent + ", which is not in the job store");
            }
        }
        t.commit();
    }

    std::optional<Claim> claim(const std::string& worker, std::chrono::milliseconds lease, const std::string& key_prefix) override {
        std::lock_guard lock(mutex_);
        Transaction t(*this);
        const std::int64_t now = wall_clock_ms();
        Statement(db_, sql::expire_exhausted("?1", kHolderGone)).bind(1, now).step();
        Statement pick(db_, "SELECT j.id FROM dramaloc_jobs j WHERE " + sql::claimable_where("?1", kHolderGone) + " AND " + sql::prefix_where("?2") +
                                " ORDER BY j.priority, j.id LIMIT 1");
        pick.bind(1, now).bind(2, key_prefix);
        if (!pick.step()) {
            t.commit();
            return std::nullopt;
        }
        const std::int64_t id = pick.integer(0);
        Statement take(db_,
                       "UPDATE dramaloc_jobs SET "
                       "error = CASE WHEN state = 'running' THEN 'worker ' || worker || ' stopped renewing its lease' ELSE error END, "
                       "state = 'running', fence = fence + 1, attempts = attempts + 1, worker = ?2, lease_until = ?3, started_ms = ?4 "
                       "WHERE id = ?1 RETURNING id, fence, attempts, key, kind, series, episode, language, payload, max_attempts");
        take.bind(1, id).bind(2, worker).bind(3, now + lease.count()).bind(4, now);
        if (!take.step()) throw std::logic_error("job store: a job picked in a transaction vanished");
        Claim c;
        c.id = take.integer(0);
        c.fence = take.integer(1);
        c.attempt = static_cast<int>(take.integer(2));
        c.key = take.text(3);
        c.kind = take.text(4);
        c.series = take.text(5);
        c.episode = take.text(6);
        c.language = take.text(7);
        c.payload = take.text(8);
        c.max_attempts = static_cast<int>(take.integer(9));
        while (take.step()) {
        }
        t.commit();
        return c;
    }

    bool heartbeat(const Claim& claim, std::chrono::milliseconds lease) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE dramaloc_jobs SET lease_until = ?3 WHERE id = ?1 AND fence = ?2 AND state = 'running'");
        s.bind(1, claim.id).bind(2, claim.fence).bind(3, wall_clock_ms() + lease.count()).step();
        return sqlite3_changes(db_) == 1;
    }

    bool complete(const Claim& claim, const std::string& result) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE dramaloc_jobs SET state = 'done', result = ?3, error = '', finished_ms = ?4 "
                         "WHERE id = ?1 AND fence = ?2 AND state = 'running'");
        s.bind(1, claim.id).bind(2, claim.fence).bind(3, result).bind(4, wall_clock_ms()).step();
        return sqlite3_changes(db_) == 1;
    }

    bool fail(const Claim& claim, const std::string& error, bool retryable, const BackoffPolicy& policy) override {
        std::lock_guard lock(mutex_);
        const std::int64_t now = wall_clock_ms();
        Statement s(db_, "UPDATE dramaloc_jobs SET error = ?3, "
                         "state = CASE WHEN ?4 = 1 AND attempts < max_attempts THEN 'pending' ELSE 'failed' END, "
                         "run_after = ?5, finished_ms = CASE WHEN ?4 = 1 AND attempts < max_attempts THEN 0 ELSE ?6 END "
                         "WHERE id = ?1 AND fence = ?2 AND state = 'running'");
        s.bind(1, claim.id).bind(2, claim.fence).bind(3, error).bind(4, retryable ? 1 : 0)
            .bind(5, now + backoff_delay(policy, claim.attempt).count()).bind(6, now).step();
        return sqlite3_changes(db_) == 1;
    }

    bool release(const Claim& claim) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE dramaloc_jobs SET state = 'pending', attempts = attempts - 1, fence = fence + 1, run_after = 0 "
                         "WHERE id = ?1 AND fence = ?2 AND state = 'running'");
        s.bind(1, claim.id).bind(2, claim.fence).step();
        return sqlite3_changes(db_) == 1;
    }

    int retry(const Filter& filter) override {
        return filtered_update("state = 'pending', attempts = 0, run_after = 0, finished_ms = 0, error = ''", "j.state IN ('failed', 'cancelled')", filter);
    }

    int cancel(const Filter& filter) override {
        return filtered_update("state = 'cancelled', finished_ms = " + std::to_string(wall_clock_ms()), "j.state IN ('pending', 'running')", filter);
    }

    int supersede(const std::string& series, const std::string& keep_prefix) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE dramaloc_jobs AS j SET state = 'cancelled', error = 'superseded by a newer plan of the series', finished_ms = ?3 "
                         "WHERE j.series = ?1 AND j.state IN ('pending', 'running') AND substr(j.key, 1, length(?2)) <> ?2");
        s.bind(1, series).bind(2, keep_prefix).bind(3, wall_clock_ms()).step();
        return sqlite3_changes(db_);
    }

    bool reset(const std::string& key) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE dramaloc_jobs SET state = 'pending', attempts = 0, run_after = 0, finished_ms = 0, result = '', "
                         "fence = fence + 1 WHERE key = ?1");
        s.bind(1, key).step();
        return sqlite3_changes(db_) == 1;
    }

    std::vector<JobStatus> list(const Filter& filter) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, std::string("SELECT ") + sql::kStatusColumns + " FROM dramaloc_jobs j WHERE " +
                             sql::filter_where("?1", "?2", "?3", "?4") + " ORDER BY j.priority, j.id");
        s.bind(1, filter.series).bind(2, filter.episode).bind(3, filter.language).bind(4, filter.key_prefix);
        std::vector<JobStatus> out;
        while (s.step()) out.push_back(read_status(s));
        return out;
    }

    std::optional<JobStatus> get(const std::string& key) override {
        std::lock_guard lock(mutex_);
        Statement s(db_, std::string("SELECT ") + sql::kStatusColumns + " FROM dramaloc_jobs j WHERE j.key = ?1");
        s.bind(1, key);
        if (!s.step()) return std::nullopt;
        return read_status(s);
    }

    std::string describe() const override { return "sqlite:" + file_.string(); }

private:
    class Transaction {
    public:
        explicit Transaction(SqliteJobStore& store) : store_(store) { store_.exec("BEGIN IMMEDIATE"); }
        ~Transaction() {
            if (!done_) sqlite3_exec(store_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit() {
            store_.exec("COMMIT");
            done_ = true;
        }

    private:
        SqliteJobStore& store_;
        bool done_ = false;
    };

    void exec(const std::string& statements) { store::sqlite_exec(db_, statements, "job store " + file_.string()); }

    bool dependency_exists(const std::string& child, const std::string& parent) {
        Statement s(db_, "SELECT 1 FROM dramaloc_job_deps d JOIN dramaloc_jobs c ON c.id = d.child JOIN dramaloc_jobs p ON p.id = d.parent "
                         "WHERE c.key = ?1 AND p.key = ?2");
        s.bind(1, child).bind(2, parent);
        return s.step();
    }

    int filtered_update(const std::string& set, const std::string& state_condition, const Filter& filter) {
        std::lock_guard lock(mutex_);
        Statement s(db_, "UPDATE dramaloc_jobs AS j SET " + set + " WHERE " + state_condition + " AND " +
                             sql::filter_where("?1", "?2", "?3", "?4"));
        s.bind(1, filter.series).bind(2, filter.episode).bind(3, filter.language).bind(4, filter.key_prefix).step();
        return sqlite3_changes(db_);
    }

    std::filesystem::path file_;
    sqlite3* db_ = nullptr;
    std::mutex mutex_;
};

}  // namespace

std::unique_ptr<JobStore> open_sqlite_job_store(const std::filesystem::path& file) {
    return std::make_unique<SqliteJobStore>(file);
}

}  // namespace dramaloc::jobs
