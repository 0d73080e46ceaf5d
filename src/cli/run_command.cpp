// The factory's work (jobs/factory.hpp, docs/factory.md):
//   dramaloc run SERIES.toml [--db URL] [--jobs N]   plan the series, work on it until done
//   dramaloc worker --db URL [--jobs N]               work on whatever the store holds
// (status, retry, cancel, stages: status_command.cpp; edit, edits: edit_command.cpp)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/episodes.hpp"
#include "cli/factory_args.hpp"
#include "core/error.hpp"
#include "jobs/factory.hpp"
#include "series/edit_log.hpp"
#include "pipeline/localize.hpp"
#include "store/object_store.hpp"
#include "series/project.hpp"
#include "pipeline/stage_graph.hpp"
#include "policy/content_review.hpp"
#include "search/library.hpp"
#include "search/library_lines.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string worker_name() { return jobs::local_worker_name(::getpid()); }


// After an episode is published: its lines in the library at `url` (opened on first use, one
// connection shared by the process's worker threads) and its content review report.
std::function<void(const series::SeriesProject&, const std::string&)> after_publish(const std::string& url) {
    struct Shared {
        std::mutex mutex;
        std::unique_ptr<search::LibraryIndex> index;
    };
    auto shared = std::make_shared<Shared>();
    return policy::after_publish(
        [shared, url](const series::SeriesProject&) -> search::LibraryIndex& {
            std::lock_guard lock(shared->mutex);
            if (!shared->index) shared->index = search::open_library_index(url);
            return *shared->index;
        },
        [](const std::string& what) { std::cerr << "dramaloc: " << what << "\n"; });
}

std::string describe_job(const json& e) {
    std::string what = e.value("kind", "");
    if (!e.value("episode", "").empty()) what += " " + e.value("episode", "");
    if (!e.value("language", "").empty()) what += " " + e.value("language", "");
    return what;
}

// Events as they come: one JSON object per line when asked (or stderr is not a terminal),
// else a line per finished job with a count.
std::function<void(const json&)> event_printer(bool as_json, bool quiet, std::size_t total) {
    if (quiet) return nullptr;
    if (as_json || !::isatty(2)) return [](const json& e) { std::cerr << e.dump() << "\n"; };
    auto finished = std::make_shared<std::size_t>(0);
    return [finished, total](const json& e) {
        const std::string event = e.value("event", "");
        if (event == "done") ++*finished;
        std::string line = "[" + std::to_string(*finished) + "/" + std::to_string(total) + "] " + describe_job(e) + ": " + event;
        if (event == "failed") line += (e.value("retryable", false) ? " (will retry): " : ": ") + e.value("error", std::string());
        if (event == "claimed" && e.value("attempt", 1) > 1) line += " (attempt " + std::to_string(e.value("attempt", 1)) + ")";
        std::cerr << line << "\n";
    };
}



// The end of `run`: outputs per episode, QC per language, one line per failure; the exit code.
int report(const std::vector<jobs::JobStatus>& all, const jobs::Plan& plan, double target_lufs, const std::set<std::string>& done_now) {
    std::map<std::string, LanguageTotals> totals;
    std::map<std::string, const jobs::JobStatus*> episode_jobs;
    int failed_jobs = 0;
    std::set<std::string> failed_episodes;
    for (const auto& j : all)
        if (j.kind == "episode") episode_jobs[j.episode] = &j;
    const auto published = [&](const std::string& episode) {
        const auto it = episode_jobs.find(episode);
        return it != episode_jobs.end() && it->second->state == jobs::JobState::Done;
    };
    for (const auto& j : all) {
        // A language whose job failed in an episode that was published is not a failed
        // episode: the episode job tried it once more and lists it in its failed languages
        // (below) when that failed too.
        if (j.kind == "language" && j.state == jobs::JobState::Failed && published(j.episode)) continue;
        if (j.state == jobs::JobState::Failed || j.state == jobs::JobState::Cancelled) {
            ++failed_jobs;
            failed_episodes.insert(j.episode);
            std::cerr << "dramaloc: " << (j.episode.empty() ? "" : j.episode + ": ") << (j.language.empty() ? "" : j.language + ": ")
                      << (j.state == jobs::JobState::Cancelled ? "cancelled" : j.error) << "\n";
        }
    }
    for (std::size_t k = 0; k < plan.episodes.size(); ++k) {
        const std::string& name = plan.episodes[k];
        const auto it = episode_jobs.find(name);
        if (it == episode_jobs.end() || it->second->state != jobs::JobState::Done) continue;
        const json r = json::parse(it->second->result);
        // Stages computed for the episode: by all its jobs (phase 1, its languages, phase 4).
        int computed = 0;
        for (const auto& j : all)
            if (j.episode == name && j.state == jobs::JobState::Done && !j.result.empty())
                computed += json::parse(j.result).value("stages_computed", 0);
        if (done_now.count(it->second->key))
            std::cout << plan.episode_files[k] << ": " << computed << " stages computed, " << r.value("stages_reused", 0) << " reused\n";
        else
            std::cout << plan.episode_files[k] << ": done by an earlier run\n";
        for (const auto& f : r.at("files")) std::cout << "  " << f.get<std::string>() << "\n";
        for (const auto& [lang, q] : r.at("languages").items()) {
            pipeline::LanguageQc qc;
            qc.lines = q.at("lines").get<int>();
            qc.untranslated = q.at("untranslated").get<int>();
            qc.over_reading_speed = q.at("over_reading_speed").get<int>();
            qc.fit_overflows = q.at("fit_overflows").get<int>();
            if (!q.at("integrated_lufs").is_null()) qc.integrated_lufs = q.at("integrated_lufs").get<double>();
            totals[lang].add(qc);
        }
        for (const auto& note : r.value("edit_notes", json::array())) std::cerr << "dramaloc: edit kept: " << note.get<std::string>() << "\n";
        for (const auto& [lang, why] : r.at("failed_languages").items()) {
            ++totals[lang].failed;
            std::cerr << "dramaloc: " << name << ": " << why.get<std::string>() << "\n";
        }
    }
    print_qc_summary(totals, target_lufs);
    if (failed_jobs > 0) {
        std::cerr << "dramaloc: " << failed_episodes.size() << " of " << plan.episodes.size() << " episodes failed; "
                  << "see dramaloc status, then dramaloc retry once the cause is fixed\n";
        return exit_code_for(ErrorKind::Input);
    }
    return failed_languages_exit(totals);
}



// `store_url`: the job store, whose database also holds the library (brought up to date after
// each episode is published).
jobs::WorkerOptions worker_options(const FactoryArgs& a, const std::string& store_url) {
    jobs::WorkerOptions w;
    w.after_publish = after_publish(store_url);
    w.name = worker_name();
    w.threads = a.jobs;
    w.threads_per_job = a.threads_per_job;
    w.heartbeat = std::chrono::milliseconds(static_cast<long>(a.heartbeat_s * 1000));
    return w;
}


}  // namespace

// The store of a series: --db, else OUT/.dramaloc-jobs.db (made by `run`; the other
// commands say the series has not run when it is not there).
namespace {
fs::path out_dir_of(const fs::path& series_file, const std::string& out) {
    return out.empty() ? series::load_series_project(series_file).options.run.out_dir : fs::path(out);
}
}  // namespace

std::string store_url(const std::string& db, const fs::path& series_file, const std::string& out) {
    return db.empty() ? jobs::default_store_url(out_dir_of(series_file, out)) : db;
}

std::unique_ptr<jobs::JobStore> open_store(const std::string& db, const fs::path& series_file, const std::string& out, bool create) {
    if (!db.empty()) return jobs::open_job_store(db);
    const fs::path out_dir = out_dir_of(series_file, out);
    if (create) {
        std::error_code ec;
        fs::create_directories(out_dir, ec);
        if (ec) throw IoError("cannot create " + out_dir.string() + ": " + ec.message());
    } else if (!fs::exists(out_dir / ".dramaloc-jobs.db")) {
        throw InputError(series_file.string() + " has not run yet (no " + (out_dir / ".dramaloc-jobs.db").string() +
                         "); start it with dramaloc run " + series_file.string() + ", or give --db");
    }
    return jobs::open_job_store(jobs::default_store_url(out_dir));
}

int seconds_left(const std::vector<jobs::JobStatus>& all) {
    double spent = 0;
    int done = 0, left = 0, running = 0;
    for (const auto& j : all) {
        if (j.state == jobs::JobState::Done && j.finished_ms > j.started_ms) {
            spent += static_cast<double>(j.finished_ms - j.started_ms) / 1000.0;
            ++done;
        }
        if (j.state == jobs::JobState::Running) ++running;
        if ((j.state == jobs::JobState::Pending && !j.blocked) || j.state == jobs::JobState::Running) ++left;
    }
    if (done == 0 || left == 0) return -1;
    return static_cast<int>(spent / done * left / std::max(1, running) + 0.5);
}

const char* state_word(const jobs::JobStatus& j) {
    if (j.state == jobs::JobState::Pending) return j.blocked ? "blocked" : "left";
    return jobs::to_string(j.state);
}

void add_worker_options(CLI::App* cmd, const std::shared_ptr<FactoryArgs>& a) {
    cmd->add_option("--db", a->db, "job store: postgresql://USER@HOST/DB, or a SQLite file (default OUT/.dramaloc-jobs.db)");
    cmd->add_option("--jobs,-j", a->jobs, "jobs at once in this process (default: number of cores)")->check(CLI::Range(0, 1024));
    cmd->add_option("--threads-per-job", a->threads_per_job, "threads inside each job (default: cores / --jobs, at least 1)")->check(CLI::Range(0, 1024));
    cmd->add_option("--heartbeat", a->heartbeat_s, "seconds between lease renewals; a lease lasts 3 of them")
        ->check(CLI::Range(0.05, 3600.0))
        ->capture_default_str();
    cmd->add_flag("--quiet,-q", a->quiet, "no progress output");
    cmd->add_flag("--json", a->json_out, "progress as one JSON object per event on stderr");
}

// `run`: plans the series (or its -e episodes), works on it in this process until nothing is
// left, reports. `supersede`: an earlier plan's unfinished jobs are cancelled (`edit` leaves
// a series run that is going on alone: its episode jobs read the edits when they publish).
int run_series(const FactoryArgs& a, bool supersede) {
    jobs::PlanOptions plan_options;
    plan_options.series_file = a.series;
    plan_options.only_episodes = a.only;
    plan_options.out_dir = a.out;
    plan_options.store_dir = a.store;
    plan_options.artifacts_url = a.artifacts;
    auto plan = jobs::plan_series(plan_options);
    // Script files people edited since the last publish: their edits are recorded first (and
    // make a new plan), so the run below publishes them instead of overwriting them.
    // An episode whose script file cannot be read is left out (its file is not overwritten).
    const std::size_t edits_before = series::EditLog(plan.out_dir).history().size();
    std::vector<std::string> unreadable, readable;
    for (const auto& episode : plan.episodes) {
        try {
            series::gather_edits(plan.out_dir, episode, [&](const std::string& what) {
                if (!a.quiet) std::cerr << "dramaloc: " << what << "\n";
            });
            readable.push_back(episode);
        } catch (const InputError& e) {
            std::cerr << "dramaloc: " << e.what() << "\n";
            unreadable.push_back(episode);
        }
    }
    if (readable.empty()) return exit_code_for(ErrorKind::Input);
    if (!unreadable.empty()) plan_options.only_episodes = readable;
    if (!unreadable.empty() || series::EditLog(plan.out_dir).history().size() != edits_before) plan = jobs::plan_series(plan_options);
    auto project = series::load_series_project(a.series);
    const std::string artifacts = a.artifacts.empty() ? project.options.run.artifacts_url : a.artifacts;
    if (!artifacts.empty()) store::s3_location_from_url(artifacts);  // keys and bucket, before any work
    // Engines, pairs and voices fail before any work; each episode's own files in its job.
    pipeline::validate(project.options, /*episode_files=*/false);
    policy::content_reviewer_of(project);  // a malformed policy pack is refused before any work
    if (!a.quiet) print_engines(project.options);
    auto store = open_store(a.db, a.series, plan.out_dir.string(), true);
    store->add(plan.jobs);
    // An earlier plan of this series (other inputs, other episodes) is replaced, not mixed in.
    if (const int n = supersede ? store->supersede(plan.series, plan.prefix()) : 0; n > 0 && !a.quiet)
        std::cerr << "dramaloc: " << n << " unfinished jobs of an earlier plan of this series cancelled (its inputs changed)\n";
    auto options = worker_options(a, a.db.empty() ? jobs::default_store_url(plan.out_dir) : a.db);
    options.only_series = plan.series;
    options.key_prefix = plan.prefix();
    auto done_now = std::make_shared<std::set<std::string>>();
    options.on_event = [done_now, print = event_printer(a.json_out, a.quiet, plan.jobs.size())](const json& e) {
        if (e.value("event", "") == "done") done_now->insert(e.value("job", ""));
        if (print) print(e);
    };
    jobs::run_worker_pool(*store, options);
    std::vector<jobs::JobStatus> mine;
    for (auto& j : store->list({plan.series, "", "", plan.prefix()})) mine.push_back(std::move(j));
    int code = report(mine, plan, project.options.languages.mix.target_lufs, *done_now);
    if (!a.quiet) std::cerr << "characters: " << (plan.out_dir / "characters.json").string() << "\n";
    if (!unreadable.empty()) {
        std::cerr << "dramaloc: " << unreadable.size() << " episodes left out because a script file of theirs could not be read (see above)\n";
        code = exit_code_for(ErrorKind::Input);
    }
    return code;
}

void register_run_command(CLI::App& app) {
    auto a = std::make_shared<FactoryArgs>();
    auto* cmd = app.add_subcommand("run", "Localize every episode of a series file (series.toml) through the job store");
    cmd->add_option("series", a->series, "series file")->required();
    cmd->add_option("--episode,-e", a->only, "only these episodes (file names without extension); repeatable");
    cmd->add_option("--out", a->out, "output folder (default: [series] out, relative to the series file)");
    cmd->add_option("--store", a->store, "artifact store folder (default OUT/.dramaloc-store)");
    cmd->add_option("--artifacts", a->artifacts, "artifacts on an S3-compatible store: s3://BUCKET/PREFIX (docs/factory.md)");
    add_worker_options(cmd, a);
    cmd->callback([a] { g_command_exit_code = run_series(*a, /*supersede=*/true); });
}

void register_worker_command(CLI::App& app) {
    {
        auto a = std::make_shared<FactoryArgs>();
        auto* cmd = app.add_subcommand("worker", "Work on the jobs of every series in a shared job store until stopped (Ctrl-C)");
        add_worker_options(cmd, a);
        cmd->get_option("--db")->required();
        cmd->callback([a] {
            auto store = jobs::open_job_store(a->db);
            auto options = worker_options(*a, a->db);
            options.stop_when_idle = false;
            options.on_event = event_printer(a->json_out, a->quiet, 0);
            if (!a->quiet) std::cerr << "worker " << options.name << " on " << store->describe() << "; Ctrl-C stops it\n";
            jobs::run_worker_pool(*store, options);
        });
    }
}

}  // namespace dramaloc::cli
