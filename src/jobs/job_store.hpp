#pragma once
// The factory's job store: the jobs of one or more series, claimed by workers on one machine
// (SQLite, WAL) or many (PostgreSQL, FOR UPDATE SKIP LOCKED), the way River, Oban and
// graphile-worker use a database as a queue (docs/factory.md).
//
//   pending ──claim──► running ──complete──► done
//      ▲                 │  │
//      │   fail (retry)  │  └─ lease expired (worker killed or paused): claimable again
//      └── run_after ◄───┘     with a new fencing token; the old holder can no longer
//                        │     heartbeat, complete or fail
//                        └─ fail, attempts used up ──► failed (dead-lettered, with its error)
//   retry: failed/cancelled ──► pending;  cancel: pending/running ──► cancelled
//
// A job is claimable when it is pending and due (or running with an expired lease), every
// job it depends on is done, and every job it comes after has finished (done, failed or
// cancelled: a series-wide job that must not wait forever for one corrupt episode). Lower priority numbers are claimed first, then older jobs.
// Every claim increments the job's fencing token; heartbeat, complete and fail name the
// token they hold and change nothing when it is no longer the job's: exactly one result is
// published per job, whatever the workers' timing.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dramaloc::jobs {

enum class JobState { Pending, Running, Done, Failed, Cancelled };
const char* to_string(JobState state) noexcept;
std::optional<JobState> job_state_from_string(std::string_view text) noexcept;

struct JobSpec {
    std::string key;       // unique in the store, e.g. "s1/lang/ep03/es"
    std::string kind;      // what the worker runs: "source", "characters", "language", ...
    std::string series;    // which series it belongs to (filters of status, retry, cancel)
    std::string episode;   // may be empty (series-wide jobs)
    std::string language;  // may be empty
    int priority = 0;      // lower first: studios release in order, early episodes first
    std::vector<std::string> depends_on;  // keys of jobs that must be done first
    std::vector<std::string> after;       // keys of jobs that must have finished, done or failed
    std::string payload;   // what the worker needs (JSON)
    int max_attempts = 3;
};

struct Claim {
    std::int64_t id = 0;
    std::int64_t fence = 0;  // the fencing token of this claim
    int attempt = 0;         // 1 for the first
    int max_attempts = 0;    // the job is dead-lettered when attempt `max_attempts` fails
    std::string key, kind, series, episode, language, payload;
};

struct JobStatus {
    std::int64_t id = 0;  // in the order jobs were added
    std::string key, kind, series, episode, language;
    JobState state = JobState::Pending;
    int attempts = 0;
    int max_attempts = 0;
    std::string worker;  // who holds or last held it
    std::string error;   // the last failure, one line
    std::string result;  // what complete() published
    bool blocked = false;               // pending behind a job it depends on that failed or was cancelled
    std::int64_t started_ms = 0;        // of the last claim (ms since the epoch; 0: never)
    std::int64_t finished_ms = 0;       // done, failed or cancelled (0: not yet)
};

struct Filter {
    std::string series;      // empty: every series
    std::string episode;     // empty: every episode
    std::string language;    // empty: every language
    std::string key_prefix;  // empty: every key; else only keys starting with it (one plan)
};

struct BackoffPolicy {
    std::chrono::milliseconds base{1000};  // the first retry waits about this long
    std::chrono::milliseconds cap{60000};
};
// The wait before retry number `attempt` (1-based): base·2^(attempt−1), capped, times a
// random factor in [0.5, 1] so that workers failing together do not retry together.
std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempt);

// A worker's name as dramaloc gives it: HOST:PID (a process's threads add /N). The SQLite
// store reads the pid back to tell whether a worker of this machine is gone.
std::string local_worker_name(long pid);

class JobStore {
public:
    virtual ~JobStore() = default;

    // Adds jobs; a key already in the store keeps its job as it is (a re-run plans the same
    // jobs again without disturbing what is done). Dependencies name keys added in this call
    // or before. Throws ConfigError for a dependency on an unknown key.
    virtual void add(const std::vector<JobSpec>& jobs) = 0;

    // The next claimable job for `worker`, held for `lease`, among the keys starting with
    // `key_prefix` (empty: any); nullopt when none is claimable now. A running job whose lease
    // expired on its last allowed attempt is dead-lettered here instead of being claimed again.
    virtual std::optional<Claim> claim(const std::string& worker, std::chrono::milliseconds lease,
                                       const std::string& key_prefix = "") = 0;

    // Extends the lease; false when the claim is no longer the job's (taken over, cancelled):
    // the worker must stop and publish nothing.
    virtual bool heartbeat(const Claim& claim, std::chrono::milliseconds lease) = 0;

    // Publishes `result` and marks the job done; false (nothing changed) when the fencing
    // token is stale.
    virtual bool complete(const Claim& claim, const std::string& result) = 0;

    // Records a failure (one line). With attempts left and `retryable`, the job waits
    // backoff_delay() and is claimable again; otherwise it is dead-lettered. False when the
    // fencing token is stale.
    virtual bool fail(const Claim& claim, const std::string& error, bool retryable, const BackoffPolicy& policy) = 0;

    // Gives the job back unfinished (the worker is stopping: Ctrl-C): pending again, the
    // attempt not counted. False when the fencing token is stale.
    virtual bool release(const Claim& claim) = 0;

    // Failed and cancelled jobs matching `filter` become pending with their attempts reset;
    // returns how many.
    virtual int retry(const Filter& filter) = 0;
    // Pending and running jobs matching `filter` are cancelled (a running one's worker learns
    // it at its next heartbeat); returns how many.
    virtual int cancel(const Filter& filter) = 0;
    // Cancels the unfinished jobs of `series` whose keys do not start with `keep_prefix` (the
    // plans a newer one replaces), with the reason "superseded"; returns how many.
    virtual int supersede(const std::string& series, const std::string& keep_prefix) = 0;
    // Makes one job pending again with a fresh attempt count, whatever its state (an edit
    // invalidated its result); false when there is no such key.
    virtual bool reset(const std::string& key) = 0;

    virtual std::vector<JobStatus> list(const Filter& filter) = 0;
    virtual std::optional<JobStatus> get(const std::string& key) = 0;

    // What the store is, for messages (a PostgreSQL URL without its password).
    virtual std::string describe() const = 0;
};

// "postgresql://…" or "postgres://…" opens PostgreSQL (libpqxx); "sqlite:PATH" or a plain
// path opens (and creates) a SQLite file. Creates the tables when they are missing. Throws
// ConfigError for a URL it cannot use, EngineError when the server cannot be reached (one
// line naming it without the password), IoError when the file cannot be created.
std::unique_ptr<JobStore> open_job_store(const std::string& url);

}  // namespace dramaloc::jobs
