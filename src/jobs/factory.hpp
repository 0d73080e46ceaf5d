#pragma once
// The factory: a series as a graph of jobs in the job store, executed by workers — threads
// of `dramaloc run`, and `dramaloc worker` processes on any machine that shares the store and
// the series' folder (docs/factory.md).
//
//   phase 1, per episode            source/EP        the source script and the voices heard,
//                                                    with only the series' cast known
//   phase 2, once per series        characters       every episode's voices matched to series
//                                                    characters, in series order: the same ids
//                                                    whichever worker finished first
//   phase 3, per episode × language lang/EP/L        translation, subtitles, dub, burn-in, QC
//   phase 4, per episode            episode/EP       the localized MP4 muxed, outputs published
//
// Work is done once: every stage inside a job is keyed in the content-addressed artifact
// store, so a job that runs again (a retry, a re-run, a phase 4 after phase 3) reuses what
// is there. A plan is identified by what goes into it (the series file, the episodes' files,
// dramaloc's version): running the same series again resumes its plan, changing an input
// makes a new one.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "jobs/job_store.hpp"
#include "series/project.hpp"

namespace dramaloc::jobs {

struct WorkerOptions {
    std::string name;                         // this worker's name in the store: HOST:PID (threads add /N)
    int threads = 0;                          // jobs at once in this process (0: number of cores)
    int threads_per_job = 0;                  // threads inside each job, for its lines (0: cores / threads, at least 1)
    std::chrono::milliseconds heartbeat{10000};
    int missed_heartbeats = 3;                // the lease: heartbeat × this
    BackoffPolicy backoff;
    std::string only_series;                  // run: stop when this series has nothing left
    std::string key_prefix;                   // run: claim only this plan's jobs (Plan::prefix())
    bool stop_when_idle = true;               // run: yes; worker: wait for work (false)
    std::chrono::milliseconds idle_poll{500}; // how often an idle worker looks again
    // After an episode job published its outputs, before it is marked done: the library index
    // brought up to date and the content review report written (policy::after_publish). What
    // it throws fails the job (retried when its kind is; its stages then come from the store).
    std::function<void(const series::SeriesProject&, const std::string& episode)> after_publish;
    // Each event: {"event": "claimed"|"done"|"failed"|"retry"|"lost", "job": key, ...}.
    std::function<void(const nlohmann::json&)> on_event;
};

struct PlanOptions {
    std::filesystem::path series_file;
    std::vector<std::string> only_episodes;   // names; empty: every episode
    std::filesystem::path out_dir;            // overrides [series] out when set
    std::filesystem::path store_dir;          // overrides [series] store when set
    std::string artifacts_url;                // overrides [series] artifacts (s3://…) when set
    int max_attempts = 3;
};

struct Plan {
    std::string series;                       // the series' identity in the store
    std::string id;                           // hash of its inputs
    std::vector<JobSpec> jobs;
    std::vector<std::string> episodes;        // names, in series order
    std::vector<std::string> episode_files;   // their file names (ep01.mp4), parallel
    std::vector<std::string> languages;
    std::filesystem::path out_dir;            // where the outputs go (OUT)
    std::string prefix() const { return series + "#" + id + "/"; }
};

// The jobs of a series (nothing is run). Throws as load_series_project.
Plan plan_series(const PlanOptions& options);

// The series identity used in the store for a series file (its absolute, normal path).
std::string series_identity(const std::filesystem::path& series_file);

// Claims and runs jobs until nothing is left for options.only_series (or, for a worker, until
// cancelled). Returns how many jobs this process completed. Cancelled propagates.
int run_worker_pool(JobStore& store, const WorkerOptions& options);

// The default store of a series: OUT/.dramaloc-jobs.db beside its outputs.
std::string default_store_url(const std::filesystem::path& out_dir);

// Where the series stands: for each of its jobs (source/EP, characters, lang/EP/L,
// episode/EP), the one of the newest plan that has it, sorted as the store lists them. A
// plan of some episodes (`run -e`, `edit`) so updates those episodes and leaves the others
// as the last plan that had them left them. Empty when the series never ran.
std::vector<JobStatus> latest_plan_jobs(JobStore& store, const std::string& series);

// The plan part of a job's key (Plan::prefix()): "SERIES#PLAN/" of "SERIES#PLAN/lang/ep1/es".
std::string plan_prefix_of(const std::string& key);

}  // namespace dramaloc::jobs
