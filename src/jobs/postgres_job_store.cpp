// The job store in PostgreSQL: many workers on many machines. A claim is one statement: the
// next claimable row, locked FOR UPDATE SKIP LOCKED so that concurrent claims pass over each
// other's rows instead of queueing behind them, then updated with a new fencing token.
#include "jobs/postgres_job_store.hpp"

#include <pqxx/pqxx>

#include <mutex>
#include <stdexcept>
#include <type_traits>

#include "core/error.hpp"
#include "jobs/job_sql.hpp"
#include "store/database.hpp"

namespace dramaloc::jobs {
namespace {

// The server's clock in ms since the epoch (clock_timestamp: the time now, not at the start of
// the transaction).
const std::string kNow = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

// A holder whose connection is gone (its process was killed: the kernel closed the socket and
// its server process ended) need not be waited for until its lease runs out.
const std::string kHolderGone = "(j.holder_pid <> 0 AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = j.holder_pid))";

JobStatus read_status(const pqxx::row& r) {
    JobStatus j;
    j.key = r[0].as<std::string>();
    j.kind = r[1].as<std::string>();
    j.series = r[2].as<std::string>();
    j.episode = r[3].as<std::string>();
    j.language = r[4].as<std::string>();
    j.state = job_state_from_string(r[5].as<std::string>()).value_or(JobState::Pending);
    j.attempts = r[6].as<int>();
    j.max_attempts = r[7].as<int>();
    j.worker = r[8].as<std::string>();
    j.error = r[9].as<std::string>();
    j.result = r[10].as<std::string>();
    j.started_ms = r[11].as<long long>();
    j.finished_ms = r[12].as<long long>();
    j.blocked = r[13].as<bool>();
    j.id = r[14].as<long long>();
    return j;
}

class PostgresJobStore final : public JobStore {
public:
    explicit PostgresJobStore(const std::string& url) : url_(store::redact_url(url)), connect_url_(url) {
        try {
            connection_ = std::make_unique<pqxx::connection>(url);
            backend_pid_ = connection_->backendpid();
            limit_idle_transactions();
            pqxx::work w(*connection_);
            // DDL only when the tables are missing: CREATE … IF NOT EXISTS still waits for the
            // table's locks, and a worker paused inside a transaction would hold up every
            // process that opens the store (and, queued behind it, every claim).
            if (w.exec("SELECT to_regclass('dramaloc_jobs') IS NULL OR to_regclass('dramaloc_job_deps') IS NULL")[0][0].as<bool>()) {
                w.exec("SELECT pg_advisory_xact_lock(7243051)");  // one schema creation at a time
                std::string schema = sql::kSchema;
                schema.replace(schema.find("BIGINT_ID"), 9, "BIGSERIAL PRIMARY KEY");
                w.exec(schema);
            }
            w.commit();
        } catch (const pqxx::broken_connection& e) {
            throw EngineError("job store " + url_ + ": cannot connect (" + store::first_line(e.what()) +
                              "); is the PostgreSQL server running and the URL right?");
        } catch (const pqxx::sql_error& e) {
            throw EngineError("job store " + url_ + ": " + store::first_line(e.what()));
        }
    }

    void add(const std::vector<JobSpec>& jobs) override {
        run([&](pqxx::work& w) {
            for (const auto& j : jobs) {
                w.exec_params("INSERT INTO dramaloc_jobs (key, kind, series, episode, language, priority, payload, max_attempts) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (key) DO NOTHING",
                              j.key, j.kind, j.series, j.episode, j.language, j.priority, j.payload, j.max_attempts);
                for (const auto& [parent, soft] : sql::dependencies(j)) {
                    const auto r = w.exec_params("INSERT INTO dramaloc_job_deps (child, parent, soft) SELECT c.id, p.id, $3 FROM dramaloc_jobs c, dramaloc_jobs p "
                                                 "WHERE c.key = $1 AND p.key = $2 ON CONFLICT DO NOTHING RETURNING child",
                                                 j.key, parent, soft ? 1 : 0);
                    if (r.empty() && w.exec_params("SELECT 1 FROM dramaloc_jobs WHERE key = $1", parent).empty())
                        throw ConfigError("job " + j.key + " depends on " + parent + ", which is not in the job store");
                }
            }
            return 0;
        });
    }

    std::optional<Claim> claim(const std::string& worker, std::chrono::milliseconds lease, const std::string& key_prefix) override {
        return run([&](pqxx::work& w) -> std::optional<Claim> {
            // A claim need not wait for the disk: one lost in a server crash leaves the job
            // pending with its old fence, so the worker's result is refused and the job runs
            // again. Results (complete, fail) are durable.
            w.exec0("SET LOCAL synchronous_commit TO OFF");
            w.exec0(sql::expire_exhausted(kNow, kHolderGone));
            const auto r = w.exec_params(
                "WITH next AS (SELECT j.id FROM dramaloc_jobs j WHERE " + sql::claimable_where(kNow, kHolderGone) + " AND " +
                    sql::prefix_where("$3::text") + " ORDER BY j.priority, j.id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                    "UPDATE dramaloc_jobs j SET "
                    "error = CASE WHEN j.state = 'running' THEN 'worker ' || j.worker || ' stopped renewing its lease' ELSE j.error END, "
                    "state = 'running', fence = j.fence + 1, attempts = j.attempts + 1, worker = $1, holder_pid = pg_backend_pid(), "
                    "lease_until = " + kNow + " + $2, started_ms = " + kNow + " FROM next WHERE j.id = next.id "
                    "RETURNING j.id, j.fence, j.attempts, j.key, j.kind, j.series, j.episode, j.language, j.payload, j.max_attempts",
                worker, static_cast<long long>(lease.count()), key_prefix);
            if (r.empty()) return std::nullopt;
            Claim c;
            c.id = r[0][0].as<long long>();
            c.fence = r[0][1].as<long long>();
            c.attempt = r[0][2].as<int>();
            c.key = r[0][3].as<std::string>();
            c.kind = r[0][4].as<std::string>();
            c.series = r[0][5].as<std::string>();
            c.episode = r[0][6].as<std::string>();
            c.language = r[0][7].as<std::string>();
            c.payload = r[0][8].as<std::string>();
            c.max_attempts = r[0][9].as<int>();
            return c;
        });
    }

    bool heartbeat(const Claim& claim, std::chrono::milliseconds lease) override {
        return run([&](pqxx::work& w) {
            w.exec0("SET LOCAL synchronous_commit TO OFF");  // a lost renewal at worst lets the job be taken over
            return w.exec_params("UPDATE dramaloc_jobs SET lease_until = " + kNow + " + $3, holder_pid = pg_backend_pid() WHERE id = $1 AND fence = $2 AND state = 'running'",
                                 static_cast<long long>(claim.id), static_cast<long long>(claim.fence), static_cast<long long>(lease.count()))
                       .affected_rows() == 1;
        });
    }

    bool complete(const Claim& claim, const std::string& result) override {
        return run([&](pqxx::work& w) {
            return w.exec_params("UPDATE dramaloc_jobs SET state = 'done', result = $3, error = '', finished_ms = " + kNow +
                                     " WHERE id = $1 AND fence = $2 AND state = 'running'",
                                 static_cast<long long>(claim.id), static_cast<long long>(claim.fence), result)
                       .affected_rows() == 1;
        });
    }

    bool fail(const Claim& claim, const std::string& error, bool retryable, const BackoffPolicy& policy) override {
        const auto delay = static_cast<long long>(backoff_delay(policy, claim.attempt).count());
        return run([&](pqxx::work& w) {
            return w.exec_params("UPDATE dramaloc_jobs SET error = $3, "
                                 "state = CASE WHEN $4 AND attempts < max_attempts THEN 'pending' ELSE 'failed' END, "
                                 "run_after = " + kNow + " + $5, "
                                 "finished_ms = CASE WHEN $4 AND attempts < max_attempts THEN 0 ELSE " + kNow + " END "
                                 "WHERE id = $1 AND fence = $2 AND state = 'running'",
                                 static_cast<long long>(claim.id), static_cast<long long>(claim.fence), error, retryable, delay)
                       .affected_rows() == 1;
        });
    }

    bool release(const Claim& claim) override {
        return run([&](pqxx::work& w) {
            return w.exec_params("UPDATE dramaloc_jobs SET state = 'pending', attempts = attempts - 1, fence = fence + 1, run_after = 0 "
                                 "WHERE id = $1 AND fence = $2 AND state = 'running'",
                                 static_cast<long long>(claim.id), static_cast<long long>(claim.fence))
                       .affected_rows() == 1;
        });
    }

    int retry(const Filter& filter) override {
        return filtered_update("state = 'pending', attempts = 0, run_after = 0, finished_ms = 0, error = ''", "j.state IN ('failed', 'cancelled')", filter);
    }

    int cancel(const Filter& filter) override {
        return filtered_update("state = 'cancelled', finished_ms = " + kNow, "j.state IN ('pending', 'running')", filter);
    }

    int supersede(const std::string& series, const std::string& keep_prefix) override {
        return run([&](pqxx::work& w) {
            return static_cast<int>(
                w.exec_params("UPDATE dramaloc_jobs AS j SET state = 'cancelled', error = 'superseded by a newer plan of the series', finished_ms = " +
                                  kNow + " WHERE j.series = $1 AND j.state IN ('pending', 'running') AND substr(j.key, 1, length($2::text)) <> $2::text",
                              series, keep_prefix)
                    .affected_rows());
        });
    }

    bool reset(const std::string& key) override {
        return run([&](pqxx::work& w) {
            return w.exec_params("UPDATE dramaloc_jobs SET state = 'pending', attempts = 0, run_after = 0, finished_ms = 0, result = '', "
                                 "fence = fence + 1 WHERE key = $1",
                                 key)
                       .affected_rows() == 1;
        });
    }

    std::vector<JobStatus> list(const Filter& filter) override {
        return run([&](pqxx::work& w) {
            std::vector<JobStatus> out;
            for (const auto& row : w.exec_params(std::string("SELECT ") + sql::kStatusColumns + " FROM dramaloc_jobs j WHERE " +
                                                     sql::filter_where("$1::text", "$2::text", "$3::text", "$4::text") + " ORDER BY j.priority, j.id",
                                                 filter.series, filter.episode, filter.language, filter.key_prefix))
                out.push_back(read_status(row));
            return out;
        });
    }

    std::optional<JobStatus> get(const std::string& key) override {
        return run([&](pqxx::work& w) -> std::optional<JobStatus> {
            const auto r = w.exec_params(std::string("SELECT ") + sql::kStatusColumns + " FROM dramaloc_jobs j WHERE j.key = $1", key);
            if (r.empty()) return std::nullopt;
            return read_status(r[0]);
        });
    }

    std::string describe() const override { return url_; }

private:
    // One transaction on the shared connection. A connection lost in between is opened again
    // once; what the server refuses becomes one line naming the store.
    template <typename Work>
    std::invoke_result_t<Work&, pqxx::work&> run(Work&& work) {
        std::lock_guard lock(mutex_);
        for (int attempt = 0;; ++attempt) {
            try {
                if (!connection_->is_open()) reconnect();
                pqxx::work w(*connection_);
                auto out = work(w);
                w.commit();
                return out;
            } catch (const pqxx::broken_connection& e) {
                if (attempt == 0) continue;
                throw EngineError("job store " + url_ + ": connection lost (" + store::first_line(e.what()) + ")");
            } catch (const pqxx::sql_error& e) {
                throw EngineError("job store " + url_ + ": " + store::first_line(e.what()));
            } catch (const pqxx::failure& e) {  // in doubt, usage errors of libpq: one line, not a crash
                throw EngineError("job store " + url_ + ": " + store::first_line(e.what()));
            }
        }
    }

    // Every transaction of ours lasts milliseconds. One left open for seconds is a worker paused
    // (SIGSTOP, a debugger) or cut off in the middle of it: the server ends its session, so
    // that the rows it locked are free and its jobs, their holder gone, can be taken over.
    void limit_idle_transactions() {
        pqxx::nontransaction n(*connection_);
        n.exec("SET idle_in_transaction_session_timeout = '5s'");
    }

    // A new connection has a new server process: the jobs this process holds say so, or other
    // workers would take them for a dead holder's.
    void reconnect() {
        const int old_pid = backend_pid_;
        connection_ = std::make_unique<pqxx::connection>(connect_url_);
        backend_pid_ = connection_->backendpid();
        limit_idle_transactions();
        pqxx::work w(*connection_);
        w.exec_params("UPDATE dramaloc_jobs SET holder_pid = $1 WHERE holder_pid = $2 AND state = 'running'", backend_pid_, old_pid);
        w.commit();
    }

    int filtered_update(const std::string& set, const std::string& state_condition, const Filter& filter) {
        return run([&](pqxx::work& w) {
            return static_cast<int>(w.exec_params("UPDATE dramaloc_jobs AS j SET " + set + " WHERE " + state_condition + " AND " +
                                                      sql::filter_where("$1::text", "$2::text", "$3::text", "$4::text"),
                                                  filter.series, filter.episode, filter.language, filter.key_prefix)
                                        .affected_rows());
        });
    }

    std::string url_;          // for messages
    std::string connect_url_;  // with the password, to connect again
    std::unique_ptr<pqxx::connection> connection_;
    int backend_pid_ = 0;
    std::mutex mutex_;
};

}  // namespace

std::unique_ptr<JobStore> open_postgres_job_store(const std::string& url) {
    return std::make_unique<PostgresJobStore>(url);
}

}  // namespace dramaloc::jobs
