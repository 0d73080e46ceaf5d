#pragma once
// What the factory's commands share (run_command.cpp defines it): their arguments, the job
// store of a series, and a run of the series in this process. `run` and `worker` are in
// run_command.cpp, `status`, `retry`, `cancel` and `stages` in status_command.cpp, `edit` and
// `edits` in edit_command.cpp.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "jobs/job_store.hpp"

namespace dramaloc::cli {

struct FactoryArgs {
    std::string series, db, out, store, lang, artifacts;
    std::vector<std::string> only;
    int jobs = 0, threads_per_job = 0;
    double heartbeat_s = 10;
    bool quiet = false, json_out = false;
};

// --db, --jobs, --threads-per-job, --heartbeat, --quiet, --json.
void add_worker_options(CLI::App* cmd, const std::shared_ptr<FactoryArgs>& a);

// The store of a series: --db, else OUT/.dramaloc-jobs.db (made by `run`; the other
// commands say the series has not run when it is not there).
std::unique_ptr<jobs::JobStore> open_store(const std::string& db, const std::filesystem::path& series_file, const std::string& out,
                                           bool create);
// The URL open_store opens (without checking that it is there).
std::string store_url(const std::string& db, const std::filesystem::path& series_file, const std::string& out);

// `run`: plans the series (or its -e episodes), works on it in this process until nothing is
// left, reports; returns the exit code. `supersede`: an earlier plan's unfinished jobs are
// cancelled (`edit` leaves a series run that is going on alone: its episode jobs read the
// edits when they publish).
int run_series(const FactoryArgs& a, bool supersede);

// A job's state as `status` names it ("done", "running", "failed", "blocked", "left"…).
const char* state_word(const jobs::JobStatus& j);
// An estimate of the seconds the jobs left need, from those done; -1 when none is done yet.
int seconds_left(const std::vector<jobs::JobStatus>& all);

}  // namespace dramaloc::cli
