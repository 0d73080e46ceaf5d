// The factory's commands (jobs/factory.hpp, docs/factory.md):
//   dramaloc run SERIES.toml [--db URL] [--jobs N]   plan the series, work on it until done
//   dramaloc worker --db URL [--jobs N]               work on whatever the store holds
//   dramaloc status SERIES.toml [--json]              where every episode × language is
//   dramaloc retry | cancel SERIES.toml [-e EP] [--lang L]
//   dramaloc stages [--format text|json|dot]           the stage graph every job runs
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
#include "core/error.hpp"
#include "jobs/factory.hpp"
#include "pipeline/edits.hpp"
#include "pipeline/localize.hpp"
#include "pipeline/object_store.hpp"
#include "pipeline/series_project.hpp"
#include "pipeline/stage_graph.hpp"
#include "policy/episode_review.hpp"
#include "search/library.hpp"
#include "search/library_lines.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string worker_name() { return jobs::local_worker_name(::getpid()); }

// The store of a series: --db, else OUT/.dramaloc-jobs.db (made by `run`; the other
// commands say the series has not run when it is not there).
std::unique_ptr<jobs::JobStore> open_store(const std::string& db, const fs::path& series_file, const std::string& out, bool create) {
    if (!db.empty()) return jobs::open_job_store(db);
    fs::path out_dir = out;
    if (out_dir.empty()) out_dir = pipeline::load_series_project(series_file).options.run.out_dir;
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

// After an episode is published: its lines in the library at `url` (opened on first use, one
// connection shared by the process's worker threads) and its content review report.
std::function<void(const pipeline::SeriesProject&, const std::string&)> after_publish(const std::string& url) {
    struct Shared {
        std::mutex mutex;
        std::unique_ptr<search::LibraryIndex> index;
    };
    auto shared = std::make_shared<Shared>();
    return policy::after_publish(
        [shared, url](const pipeline::SeriesProject&) -> search::LibraryIndex& {
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

struct FactoryArgs {
    std::string series, db, out, store, lang, artifacts;
    std::vector<std::string> only;
    int jobs = 0, threads_per_job = 0;
    double heartbeat_s = 10;
    bool quiet = false, json_out = false;
};

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
    const std::size_t edits_before = pipeline::EditLog(plan.out_dir).history().size();
    std::vector<std::string> unreadable, readable;
    for (const auto& episode : plan.episodes) {
        try {
            pipeline::gather_edits(plan.out_dir, episode, [&](const std::string& what) {
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
    if (!unreadable.empty() || pipeline::EditLog(plan.out_dir).history().size() != edits_before) plan = jobs::plan_series(plan_options);
    auto project = pipeline::load_series_project(a.series);
    const std::string artifacts = a.artifacts.empty() ? project.options.run.artifacts_url : a.artifacts;
    if (!artifacts.empty()) pipeline::s3_location_from_url(artifacts);  // keys and bucket, before any work
    // Engines, pairs and voices fail before any work; each episode's own files in its job.
    pipeline::validate(project.options, /*episode_files=*/false);
    policy::series_reviewer(project);  // a malformed policy pack is refused before any work
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

}  // namespace

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

void register_factory_commands(CLI::App& app) {
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
    {
        auto a = std::make_shared<FactoryArgs>();
        auto* cmd = app.add_subcommand("status", "Where every episode × language of a series is: done, running where, failed and why, left");
        cmd->add_option("series", a->series, "series file")->required();
        cmd->add_option("--db", a->db, "job store (default OUT/.dramaloc-jobs.db)");
        cmd->add_option("--out", a->out, "output folder, when run was given one");
        cmd->add_flag("--json", a->json_out, "JSON on stdout");
        cmd->callback([a] {
            auto store = open_store(a->db, a->series, a->out, false);
            const auto all = jobs::latest_plan_jobs(*store, jobs::series_identity(a->series));
            std::map<std::string, int> counts;
            for (const auto& j : all) ++counts[state_word(j)];
            const int eta = seconds_left(all);
            if (a->json_out) {
                json list = json::array();
                for (const auto& j : all)
                    list.push_back({{"job", j.key.substr(j.key.rfind('#') + 1)}, {"kind", j.kind}, {"episode", j.episode}, {"language", j.language},
                                    {"state", state_word(j)}, {"attempts", j.attempts}, {"worker", j.worker}, {"error", j.error}});
                std::cout << json{{"series", jobs::series_identity(a->series)}, {"counts", counts},
                                  {"eta_seconds", eta < 0 ? json(nullptr) : json(eta)}, {"jobs", list}}
                                 .dump(2)
                          << "\n";
                return;
            }
            if (all.empty()) {
                std::cout << a->series << ": not run yet (dramaloc run " << a->series << ")\n";
                return;
            }
            std::cout << a->series << ": " << all.size() << " jobs:";
            for (const auto& [state, n] : counts) std::cout << " " << n << " " << state << ";";
            if (eta >= 0) std::cout << " about " << (eta >= 120 ? std::to_string(eta / 60) + " min" : std::to_string(eta) + " s") << " left";
            std::cout << "\n";
            for (const auto& j : all) {
                std::cout << "  " << j.kind << (j.episode.empty() ? "" : " " + j.episode) << (j.language.empty() ? "" : " " + j.language) << ": "
                          << state_word(j);
                if (j.state == jobs::JobState::Running) std::cout << " on " << j.worker << " (attempt " << j.attempts << ")";
                if (j.state == jobs::JobState::Failed) std::cout << " after " << j.attempts << " attempts: " << j.error;
                if (j.state == jobs::JobState::Pending && !j.error.empty()) std::cout << " (retrying: " << j.error << ")";
                std::cout << "\n";
            }
        });
    }
    for (const bool retry : {true, false}) {
        auto a = std::make_shared<FactoryArgs>();
        auto* cmd = app.add_subcommand(retry ? "retry" : "cancel",
                                       retry ? "Run failed or cancelled jobs of a series again" : "Cancel the jobs of a series not yet done");
        cmd->add_option("series", a->series, "series file")->required();
        cmd->add_option("--episode,-e", a->only, "only this episode")->expected(1);
        cmd->add_option("--lang", a->lang, "only this language");
        cmd->add_option("--db", a->db, "job store (default OUT/.dramaloc-jobs.db)");
        cmd->add_option("--out", a->out, "output folder, when run was given one");
        cmd->callback([a, retry] {
            auto store = open_store(a->db, a->series, a->out, false);
            // The jobs `status` shows (each job's newest plan), one by one: its key, with its own
            // episode and language, so that ep1's key, a prefix of ep10's, names ep1's job alone.
            const std::string series = jobs::series_identity(a->series);
            int n = 0;
            for (const auto& j : jobs::latest_plan_jobs(*store, series)) {
                if ((!a->only.empty() && j.episode != a->only[0]) || (!a->lang.empty() && j.language != a->lang)) continue;
                const jobs::Filter one{series, j.episode, j.language, j.key};
                const int changed = retry ? store->retry(one) : store->cancel(one);
                n += changed;
                // A language retried after its episode was published without it: the episode
                // job runs again after it, to publish it.
                if (retry && changed > 0 && j.kind == "language") store->reset(jobs::plan_prefix_of(j.key) + "episode/" + j.episode);
            }
            std::cout << n << (n == 1 ? " job " : " jobs ") << (retry ? "to run again" : "cancelled")
                      << (retry && n > 0 ? "; dramaloc run " + a->series + " (or the workers) will take them" : "") << "\n";
        });
    }
    {
        struct EditArgs {
            FactoryArgs run;
            std::string language, text, by;
            int line = 0;
            bool revert = false, no_run = false;
        };
        auto e = std::make_shared<EditArgs>();
        auto* cmd = app.add_subcommand("edit", "Change one translated line and re-render only what depends on it");
        cmd->add_option("series", e->run.series, "series file")->required();
        cmd->add_option("--episode,-e", e->run.only, "the episode (file name without extension)")->required()->expected(1);
        cmd->add_option("--lang", e->language, "the language of the line")->required();
        cmd->add_option("--line", e->line, "the line's id (as in NAME.LANG.script.json)")->required()->check(CLI::PositiveNumber);
        auto* text = cmd->add_option("--text", e->text, "the line's new text");
        auto* revert = cmd->add_flag("--revert", e->revert, "drop the line's edit: the machine translation again");
        text->excludes(revert);
        cmd->add_option("--by", e->by, "who edits (default $USER); kept in the history");
        cmd->add_flag("--no-run", e->no_run, "record the edit only; the next run renders it");
        cmd->add_option("--out", e->run.out, "output folder, when run was given one");
        cmd->add_option("--store", e->run.store, "artifact store folder, when run was given one");
        cmd->add_option("--artifacts", e->run.artifacts, "artifacts on an S3-compatible store, when run was given one");
        add_worker_options(cmd, std::shared_ptr<FactoryArgs>(e, &e->run));
        cmd->callback([e] {
            if (e->text.empty() && !e->revert) throw UsageError("give the line's new text with --text, or --revert to take the machine translation back");
            if (e->text.find_first_of("\r\n") != std::string::npos || !subtitles::is_valid_utf8(e->text))
                throw UsageError("--text must be one line of UTF-8 text");
            const auto project = pipeline::load_series_project(e->run.series);
            const fs::path out_dir = e->run.out.empty() ? project.options.run.out_dir : fs::absolute(e->run.out);
            const std::string& episode = e->run.only.at(0);
            if (std::none_of(project.episodes.begin(), project.episodes.end(), [&](const fs::path& p) { return p.stem() == episode; }))
                throw UsageError("--episode " + episode + ": " + e->run.series + " has no such episode");
            const auto& targets = project.options.languages.targets;
            if (std::find(targets.begin(), targets.end(), e->language) == targets.end())
                throw UsageError("--lang " + e->language + ": not a language of the series (to = " + [&] {
                    std::string all;
                    for (const auto& l : targets) all += (all.empty() ? "" : ",") + l;
                    return all;
                }() + "); the source script cannot be edited yet");
            pipeline::LineEditRequest request;
            request.episode = episode;
            request.language = e->language;
            request.line = e->line;
            request.text = e->text;
            request.revert = e->revert;
            request.who = e->by;
            request.via = "cli";
            const auto result = pipeline::record_line_edit(out_dir, request, [](const std::string& what) { std::cerr << "dramaloc: " << what << "\n"; });
            const std::string where = episode + " " + e->language + " line " + std::to_string(e->line);
            using Outcome = pipeline::LineEditResult::Outcome;
            if (result.outcome == Outcome::NothingToRevert) {
                std::cout << where << " has no edit to revert\n";
                return;
            }
            if (result.outcome == Outcome::Unchanged) {
                std::cout << where << " already says that; nothing to do\n";
                return;
            }
            std::cout << where << ": \"" << result.edit.before << "\" -> \"" << result.text << "\" (by " << result.edit.who
                      << ", kept in " << pipeline::EditLog(out_dir).file().string() << ")\n";
            if (e->no_run) return;
            const auto started = std::chrono::steady_clock::now();
            g_command_exit_code = run_series(e->run, /*supersede=*/false);
            if (!e->run.quiet)
                std::cerr << where << ": outputs re-rendered in "
                          << static_cast<int>(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() * 10 + 0.5) / 10.0
                          << " s\n";
        });
    }
    {
        auto format = std::make_shared<std::string>("text");
        auto* cmd = app.add_subcommand("stages", "The stage graph: every stage, the job it runs in, what it reads and what it stores");
        cmd->add_option("--format", *format, "text, json or dot (Graphviz)")->check(CLI::IsMember({"text", "json", "dot"}));
        cmd->callback([format] {
            std::cout << (*format == "json"  ? pipeline::stage_graph_json()
                          : *format == "dot" ? pipeline::stage_graph_dot()
                                             : pipeline::stage_graph_text());
        });
    }
    {
        auto a = std::make_shared<FactoryArgs>();
        auto* cmd = app.add_subcommand("edits", "The edit history of a series: who changed which line, when, from what to what");
        cmd->add_option("series", a->series, "series file")->required();
        cmd->add_option("--episode,-e", a->only, "only this episode")->expected(1);
        cmd->add_option("--lang", a->lang, "only this language");
        cmd->add_option("--out", a->out, "output folder, when run was given one");
        cmd->add_flag("--json", a->json_out, "JSON on stdout");
        cmd->callback([a] {
            const fs::path out_dir = a->out.empty() ? pipeline::load_series_project(a->series).options.run.out_dir : fs::absolute(a->out);
            json list = json::array();
            for (const auto& e : pipeline::EditLog(out_dir).history()) {
                if ((!a->only.empty() && e.episode != a->only[0]) || (!a->lang.empty() && e.language != a->lang)) continue;
                if (a->json_out) {
                    list.push_back({{"episode", e.episode}, {"language", e.language}, {"line", e.line}, {"before", e.before},
                                    {"after", e.revert ? e.machine : e.redub || !e.speaker.empty() ? e.before : e.after}, {"revert", e.revert},
                                    {"redub", e.redub}, {"speaker", e.speaker.empty() ? json(nullptr) : json(e.speaker)},
                                    {"machine", e.machine}, {"who", e.who}, {"when", e.when}, {"via", e.via}});
                    continue;
                }
                std::cout << e.when << " " << e.who << " (" << e.via << ") " << e.episode << " " << e.language << " line " << e.line << ": ";
                if (e.redub) std::cout << "\"" << e.before << "\" dubbed again (a new take)\n";
                else if (!e.speaker.empty()) std::cout << "given to " << e.speaker << "\n";
                else
                    std::cout << "\"" << e.before << "\" -> \"" << (e.revert ? e.machine : e.after) << "\"" << (e.revert ? " (reverted)" : "") << "\n";
            }
            if (a->json_out) std::cout << json{{"edits", list}}.dump(2) << "\n";
        });
    }
}

}  // namespace dramaloc::cli
