#pragma once
// What the SQLite and PostgreSQL job stores share: the schema, the column list that status
// rows are read in, and the messages of lease loss. Each backend keeps its own dialect
// (placeholders, SKIP LOCKED, clocks) in its own file.
#include <string>
#include <utility>
#include <vector>

#include "jobs/job_store.hpp"

namespace dramaloc::jobs::sql {

// Both dialects accept this schema once `BIGINT_ID` is replaced by the backend's
// auto-increment primary key.
inline constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS dramaloc_jobs (
  id BIGINT_ID,
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  series TEXT NOT NULL,
  episode TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  priority INTEGER NOT NULL DEFAULT 0,
  payload TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3,
  fence BIGINT NOT NULL DEFAULT 0,
  worker TEXT NOT NULL DEFAULT '',
  lease_until BIGINT NOT NULL DEFAULT 0,
  run_after BIGINT NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT '',
  started_ms BIGINT NOT NULL DEFAULT 0,
  finished_ms BIGINT NOT NULL DEFAULT 0,
  holder_pid BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS dramaloc_jobs_claim ON dramaloc_jobs (state, priority, id);
CREATE INDEX IF NOT EXISTS dramaloc_jobs_series ON dramaloc_jobs (series, episode, language);
CREATE TABLE IF NOT EXISTS dramaloc_job_deps (
  child BIGINT NOT NULL,
  parent BIGINT NOT NULL,
  soft INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (child, parent)
);
CREATE INDEX IF NOT EXISTS dramaloc_job_deps_parent ON dramaloc_job_deps (parent);
)";

// Status rows are selected in this order (read_status in each backend follows it).
inline constexpr const char* kStatusColumns =
    "j.key, j.kind, j.series, j.episode, j.language, j.state, j.attempts, j.max_attempts, j.worker, j.error, j.result, "
    "j.started_ms, j.finished_ms, "
    "(j.state = 'pending' AND EXISTS (SELECT 1 FROM dramaloc_job_deps d JOIN dramaloc_jobs p ON p.id = d.parent "
    "WHERE d.child = j.id AND d.soft = 0 AND p.state IN ('failed', 'cancelled'))) AS blocked, j.id";

// A job that may be claimed: due, or held by a lease that ran out or by a holder known to be
// gone (`holder_gone`, a condition on j: PostgreSQL sees a killed worker's connection close),
// nothing it depends on undone, nothing it comes after (soft) unfinished. `now` is the
// backend's expression or placeholder for the current time in ms.
inline std::string claimable_where(const std::string& now, const std::string& holder_gone = "0 = 1") {
    return "((j.state = 'pending' AND j.run_after <= " + now + ") OR (j.state = 'running' AND (j.lease_until < " + now + " OR " +
           holder_gone + "))) AND NOT EXISTS (SELECT 1 FROM dramaloc_job_deps d JOIN dramaloc_jobs p ON p.id = d.parent "
           "WHERE d.child = j.id AND p.state <> 'done' AND NOT (d.soft = 1 AND p.state IN ('failed', 'cancelled')))";
}

// Dead-letters the running jobs whose holder is gone (lease run out, or `holder_gone`) on their
// last allowed attempt.
inline std::string expire_exhausted(const std::string& now, const std::string& holder_gone = "0 = 1") {
    return "UPDATE dramaloc_jobs AS j SET state = 'failed', finished_ms = " + now +
           ", error = 'worker ' || worker || ' stopped renewing its lease on attempt ' || attempts || ' of ' || max_attempts "
           "WHERE state = 'running' AND (lease_until < " + now + " OR " + holder_gone + ") AND attempts >= max_attempts";
}

// retry/cancel/list filters: series, episode, language, key prefix each match when the
// filter value is empty. `p1..p4` are the backend's placeholders for the four values.
inline std::string filter_where(const std::string& p1, const std::string& p2, const std::string& p3, const std::string& p4) {
    return "(" + p1 + " = '' OR j.series = " + p1 + ") AND (" + p2 + " = '' OR j.episode = " + p2 + ") AND (" + p3 +
           " = '' OR j.language = " + p3 + ") AND (" + p4 + " = '' OR substr(j.key, 1, length(" + p4 + ")) = " + p4 + ")";
}

// Keys starting with `p` (a placeholder; empty: any).
inline std::string prefix_where(const std::string& p) { return "(" + p + " = '' OR substr(j.key, 1, length(" + p + ")) = " + p + ")"; }

// A job's dependencies as (key, soft): depends_on first, then after.
inline std::vector<std::pair<std::string, bool>> dependencies(const JobSpec& job) {
    std::vector<std::pair<std::string, bool>> out;
    for (const auto& k : job.depends_on) out.emplace_back(k, false);
    for (const auto& k : job.after) out.emplace_back(k, true);
    return out;
}

}  // namespace dramaloc::jobs::sql
