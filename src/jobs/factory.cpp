#include "jobs/factory.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/version.hpp"
#include "engines/speakers.hpp"
#include "pipeline/artifact_json.hpp"
#include "series/character_registry.hpp"
#include "series/edit_log.hpp"
#include "pipeline/localize.hpp"
#include "series/characters.hpp"
#include "series/project.hpp"

namespace dramaloc::jobs {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// What identifies an episode's file without reading it: path, size, modification time.
void add_file_identity(Hasher& h, const fs::path& file) {
    std::error_code ec;
    h.field(file.string());
    const auto size = fs::file_size(file, ec);
    h.field(ec ? -1 : static_cast<std::int64_t>(size));
    const auto mtime = fs::last_write_time(file, ec);
    h.field(ec ? -1 : static_cast<std::int64_t>(mtime.time_since_epoch().count()));
}

const fs::path& episode_file(const series::SeriesProject& project, const std::string& name) {
    for (const auto& e : project.episodes)
        if (e.stem().string() == name) return e;
    throw ConfigError(project.file.string() + ": the series has no episode " + name + " any more");
}

}  // namespace

std::string series_identity(const fs::path& series_file) { return fs::weakly_canonical(fs::absolute(series_file)).string(); }

std::string default_store_url(const fs::path& out_dir) { return "sqlite:" + (out_dir / ".dramaloc-jobs.db").string(); }

std::vector<JobStatus> latest_plan_jobs(JobStore& store, const std::string& series) {
    auto all = store.list({series, "", "", ""});
    // SERIES#PLAN/lang/ep1/es -> lang/ep1/es: the same job in every plan.
    const auto job_of = [](const std::string& key) { return key.substr(plan_prefix_of(key).size()); };
    // A row cancelled because a newer plan replaced it loses to any other row of the job: a
    // plan run again keeps its rows' old ids, so after plans A, B (cut short), A again, the
    // job's state is A's, not B's cancelled row.
    const auto superseded = [](const JobStatus& j) {
        return j.state == JobState::Cancelled && j.error.rfind("superseded", 0) == 0;
    };
    std::map<std::string, const JobStatus*> best;  // job -> the row that stands for it
    for (const auto& j : all) {
        const JobStatus*& b = best[job_of(j.key)];
        if (!b || superseded(*b) > superseded(j) || (superseded(*b) == superseded(j) && j.id > b->id)) b = &j;
    }
    std::vector<JobStatus> out;
    for (const auto& j : all)
        if (best.at(job_of(j.key)) == &j) out.push_back(j);
    return out;
}

std::string plan_prefix_of(const std::string& key) { return key.substr(0, key.find('/', key.rfind('#')) + 1); }

namespace {

// The episodes the plan covers: all of the series', or the -e ones (each must be one of them).
std::vector<std::string> selected_episodes(const series::SeriesProject& project, const std::vector<std::string>& only) {
    std::vector<std::string> all, out;
    for (const auto& e : project.episodes) all.push_back(e.stem().string());
    for (const auto& wanted : only)
        if (std::find(all.begin(), all.end(), wanted) == all.end()) {
            std::string names;
            for (std::size_t i = 0; i < all.size() && i < 5; ++i) names += (i ? ", " : "") + all[i];
            throw UsageError("--episode " + wanted + ": the series has no such episode (it has " + names + (all.size() > 5 ? ", …" : "") + ")");
        }
    for (const auto& name : all)
        if (only.empty() || std::find(only.begin(), only.end(), name) != only.end()) out.push_back(name);
    return out;
}

// The plan's identity: what goes into it. The same inputs resume the same jobs.
std::string plan_identity(const series::SeriesProject& project, const Plan& plan, const PlanOptions& options, const fs::path& store_dir) {
    Hasher h;
    h.field("dramaloc-plan").field(kVersion).field(plan.series).field(read_text_file(options.series_file));
    h.field(plan.out_dir.string()).field(store_dir.string()).field(options.artifacts_url);
    for (const auto& name : plan.episodes) {
        add_file_identity(h, episode_file(project, name));
        // The episode's own script and stem, when the series names them per episode.
        pipeline::LocalizeOptions own = project.options;
        series::apply_episode_paths(project, name, own);
        if (own.source.choice.mode == pipeline::SourceMode::Import) add_file_identity(h, own.source.choice.import_file);
        if (own.languages.background_stem) add_file_identity(h, *own.languages.background_stem);
    }
    for (const auto& c : project.cast)
        if (!c.reference_audio.empty()) add_file_identity(h, c.reference_audio);
    // People's edits in force (OUT/edits.json): an edit makes a new plan whose stages are
    // the old ones but for what depends on the edited line.
    // How many edits each episode has had goes in too: a line set back to an earlier text (A,
    // B, then A again) has the edits in force of an older plan whose jobs are done, but its
    // outputs say B and must be made again.
    const series::EditLog edit_log(plan.out_dir);
    const auto edit_history = edit_log.history();
    for (const auto& name : plan.episodes) {
        h.field(pipeline::to_json(edit_log.in_force(name)).dump());
        h.field(static_cast<std::int64_t>(
            std::count_if(edit_history.begin(), edit_history.end(), [&](const series::LineEdit& e) { return e.episode == name; })));
    }
    return h.hex().substr(0, 16);
}

// The jobs of the four phases (docs/factory.md, "The plan"), with what each waits for.
std::vector<JobSpec> plan_jobs(const Plan& plan, const PlanOptions& options, const fs::path& store_dir) {
    const std::string prefix = plan.prefix();
    const json base = {{"series_file", plan.series}, {"plan", plan.id}, {"out", plan.out_dir.string()}, {"store", store_dir.string()},
                       {"artifacts", options.artifacts_url}};
    const auto make = [&](std::string key, std::string kind, const std::string& episode, const std::string& language, int priority) {
        JobSpec j;
        j.key = prefix + key;
        j.kind = std::move(kind);
        j.series = plan.series;
        j.episode = episode;
        j.language = language;
        j.priority = priority;
        j.max_attempts = options.max_attempts;
        json payload = base;
        payload["episode"] = episode;
        payload["language"] = language;
        j.payload = payload.dump();
        return j;
    };
    std::vector<JobSpec> jobs;
    std::vector<std::string> sources;
    for (std::size_t k = 0; k < plan.episodes.size(); ++k) {
        jobs.push_back(make("source/" + plan.episodes[k], "source", plan.episodes[k], "", static_cast<int>(k)));
        sources.push_back(jobs.back().key);
    }
    // Phase 2 waits for every episode's phase 1 to finish, however it finished: one corrupt
    // episode must not hold up the series.
    JobSpec characters = make("characters", "characters", "", "", -1);
    characters.after = sources;
    json payload = json::parse(characters.payload);
    payload["episodes"] = plan.episodes;
    characters.payload = payload.dump();
    jobs.push_back(characters);
    for (std::size_t k = 0; k < plan.episodes.size(); ++k) {
        const std::string& ep = plan.episodes[k];
        std::vector<std::string> languages;
        for (const auto& lang : plan.languages) {
            JobSpec j = make("lang/" + ep + "/" + lang, "language", ep, lang, static_cast<int>(k));
            j.depends_on = {sources[k], characters.key};
            languages.push_back(j.key);
            jobs.push_back(std::move(j));
        }
        // Phase 4 publishes what there is: a language whose job failed is reported as failed.
        JobSpec episode = make("episode/" + ep, "episode", ep, "", static_cast<int>(k));
        episode.depends_on = {sources[k], characters.key};
        episode.after = languages;
        jobs.push_back(std::move(episode));
    }
    return jobs;
}

}  // namespace

Plan plan_series(const PlanOptions& options) {
    const auto project = series::load_series_project(options.series_file);
    Plan plan;
    plan.series = series_identity(options.series_file);
    plan.languages = project.options.languages.targets;
    plan.episodes = selected_episodes(project, options.only_episodes);
    for (const auto& name : plan.episodes) plan.episode_files.push_back(episode_file(project, name).filename().string());
    plan.out_dir = options.out_dir.empty() ? project.options.run.out_dir : fs::absolute(options.out_dir);
    const fs::path store_dir = options.store_dir.empty() ? fs::path() : fs::absolute(options.store_dir);
    plan.id = plan_identity(project, plan, options, store_dir);
    plan.jobs = plan_jobs(plan, options, store_dir);
    return plan;
}

namespace {

// Runs one claimed job: the pipeline with the options its kind calls for. Every stage inside
// is keyed in the artifact store, so whatever an earlier job or attempt made is reused.
// Thrown before publishing by a worker whose lease was taken over or whose job was cancelled.
class LeaseLost : public std::runtime_error {
public:
    LeaseLost() : std::runtime_error("the lease was taken over or the job cancelled; nothing was published") {}
};

class Executor {
public:
    Executor(JobStore& store, int threads_per_job, std::chrono::milliseconds lease,
             std::function<void(const series::SeriesProject&, const std::string&)> after_publish)
        : store_(store), threads_per_job_(threads_per_job), lease_(lease), after_publish_(std::move(after_publish)) {}

    json run(const Claim& claim) {
        // Just before writing into OUT: still the job's holder (fenced), else nothing is written.
        const auto still_mine = [this, &claim] {
            if (!store_.heartbeat(claim, lease_)) throw LeaseLost();
        };
        const json payload = json::parse(claim.payload);
        const auto project = load(payload.at("series_file").get<std::string>(), payload.value("plan", ""), payload.value("out", ""),
                                  payload.value("store", ""), payload.value("artifacts", ""));
        if (claim.kind == "characters") return resolve_characters(*project, claim, payload, still_mine);
        const std::string episode = payload.at("episode").get<std::string>();
        pipeline::LocalizeOptions options = episode_options(*project, episode);
        if (claim.kind == "source") {
            options.languages.targets.clear();
            options.render.burn_in.clear();
            options.render.textless = false;
            options.run.publish = false;
            const auto outputs = pipeline::localize_episode(episode_file(*project, episode), options);
            // What it learnt of the file goes with its result: the episode's later jobs do not open it again.
            return {{"characters", pipeline::characters_to_json(outputs.characters)}, {"lines", outputs.source_script.lines.size()},
                    {"facts", outputs.facts.to_json()}, {"stages_computed", outputs.stages_computed}};
        }
        apply_characters(options, claim, payload, episode);
        options.facts = source_facts(claim, payload, episode);
        // The edits in force now (a series run that was planned before an edit still publishes it).
        const series::EditLog edit_log(project->options.run.out_dir);
        const auto history = edit_log.history();
        options.languages.edits = series::EditLog::in_force(history, episode);
        options.languages.revisions = series::line_revisions(history, episode);
        if (claim.kind == "language") {
            const std::string language = payload.at("language").get<std::string>();
            options.languages.targets = {language};
            const bool burn = std::find(options.render.burn_in.begin(), options.render.burn_in.end(), language) !=
                              options.render.burn_in.end();
            options.render.burn_in = burn ? std::vector<std::string>{language} : std::vector<std::string>{};
            options.render.textless = false;  // the episode job makes it, once
            options.run.publish = false;
            // Its failure fails the job: retried with backoff when the engine or the machine
            // failed, dead-lettered after max_attempts; the episode job then reports the language
            // as failed and publishes the others.
            options.run.language_failure_ends_run = true;
            const auto outputs = pipeline::localize_episode(episode_file(*project, episode), options);
            return {{"stages_computed", outputs.stages_computed}, {"probed", outputs.probed}};
        }
        if (claim.kind == "episode") {
            // An edit made while the episode ran must not be overwritten by its older outputs:
            // the job is run again (its other stages come from the store).
            options.run.before_publish = [&] {
                still_mine();
                const auto now = edit_log.history();
                if (series::EditLog::in_force(now, episode) != options.languages.edits ||
                    series::line_revisions(now, episode) != options.languages.revisions)
                    throw EngineError("the episode's lines were edited while it ran; running it again with the edits");
            };
            const auto outputs = pipeline::localize_episode(episode_file(*project, episode), options);
            if (after_publish_) {
                try {
                    after_publish_(*project, episode);
                } catch (const Cancelled&) {
                    throw;
                } catch (const Error& e) {  // its kind kept: a bad URL is not retried, a server away is
                    throw Error(e.kind(), std::string("the outputs were published, but the library could not be brought up to date: ") + e.what());
                }
            }
            json files = json::array();
            for (const auto& f : outputs.files) files.push_back(f.string());
            json languages = json::object();
            for (const auto& [lang, q] : outputs.languages)
                languages[lang] = {{"lines", q.lines}, {"untranslated", q.untranslated}, {"over_reading_speed", q.over_reading_speed},
                                   {"fit_overflows", q.fit_overflows},
                                   {"integrated_lufs", q.integrated_lufs ? json(*q.integrated_lufs) : json(nullptr)}};
            return {{"files", files}, {"languages", languages}, {"failed_languages", outputs.failed_languages}, {"edit_notes", outputs.edit_notes},
                    {"stages_computed", outputs.stages_computed}, {"stages_reused", outputs.stages_reused}, {"probed", outputs.probed}};
        }
        throw ConfigError("job " + claim.key + ": unknown kind \"" + claim.kind + "\" (a newer dramaloc planned it?)");
    }

private:
    // One load per plan: a worker that lives through several runs reads the series file as each
    // plan found it (a changed file makes a new plan, and `run` cancels the old one's jobs).
    std::shared_ptr<const series::SeriesProject> load(const std::string& file, const std::string& plan, const std::string& out,
                                                        const std::string& store, const std::string& artifacts) {
        std::lock_guard lock(mutex_);
        auto& p = projects_[file + "\n" + plan + "\n" + out + "\n" + store + "\n" + artifacts];
        if (!p) {
            auto project = series::load_series_project(file);
            if (!out.empty()) project.options.run.out_dir = out;
            if (!store.empty()) project.options.run.store_dir = store;
            if (!artifacts.empty()) project.options.run.artifacts_url = artifacts;
            p = std::make_shared<const series::SeriesProject>(std::move(project));
        }
        return p;
    }

    pipeline::LocalizeOptions episode_options(const series::SeriesProject& project, const std::string& episode) const {
        pipeline::LocalizeOptions options = project.options;
        series::apply_episode_paths(project, episode, options);
        pipeline::validate_episode_files(options);
        options.source.known_characters = project.cast;  // phase 1 knows the cast only: no order between episodes
        options.run.jobs = threads_per_job_;
        return options;
    }

    std::string characters_key(const Claim& claim, const json& payload) const {
        return claim.series + "#" + payload.at("plan").get<std::string>() + "/characters";
    }

    std::optional<JobStatus> source_job(const Claim& claim, const json& payload, const std::string& episode) const {
        return store_.get(claim.series + "#" + payload.at("plan").get<std::string>() + "/source/" + episode);
    }

    // The episode file's probe and hash as its source job recorded them (none from a source
    // job of before they were recorded).
    std::optional<pipeline::EpisodeFacts> source_facts(const Claim& claim, const json& payload, const std::string& episode) const {
        const auto source = source_job(claim, payload, episode);
        if (!source || source->state != JobState::Done) return std::nullopt;
        const json result = json::parse(source->result);
        if (!result.contains("facts")) return std::nullopt;
        return pipeline::EpisodeFacts::from_json(result.at("facts"));
    }

    void apply_characters(pipeline::LocalizeOptions& options, const Claim& claim, const json& payload, const std::string& episode) {
        const auto status = store_.get(characters_key(claim, payload));
        if (!status || status->state != JobState::Done) throw EngineError("job " + claim.key + " ran before the series' characters were resolved");
        const json resolved = json::parse(status->result);
        options.source.series_characters = pipeline::characters_from_json(resolved.at("characters"));
        if (const auto it = resolved.at("maps").find(episode); it != resolved.at("maps").end()) {
            options.source.speaker_map = it->get<std::map<std::string, std::string>>();
            return;
        }
        // Phase 1 of this episode failed when phase 2 ran and was retried since: its voices are
        // matched to the series' characters as they stand, the others' ids left as they are.
        const auto source = source_job(claim, payload, episode);
        if (!source || source->state != JobState::Done) return;
        const auto heard = pipeline::characters_from_json(json::parse(source->result).at("characters"));
        const auto speakers = engines::make_speaker_identifier(options.engines.speakers);
        const std::vector<std::pair<std::string, std::vector<Character>>> one = {{episode, heard}};
        const auto late = series::resolve_series_characters(options.source.series_characters, one, *speakers);
        options.source.speaker_map = late.speaker_maps.at(episode);
        options.source.series_characters = late.characters;
    }

    json resolve_characters(const series::SeriesProject& project, const Claim& claim, const json& payload,
                            const std::function<void()>& still_mine) {
        std::vector<std::pair<std::string, std::vector<Character>>> heard;
        const std::string prefix = claim.series + "#" + payload.at("plan").get<std::string>() + "/source/";
        for (const auto& episode : payload.at("episodes")) {
            const auto status = store_.get(prefix + episode.get<std::string>());
            if (!status || status->state != JobState::Done) continue;  // failed: reported as its own job
            heard.emplace_back(episode.get<std::string>(), pipeline::characters_from_json(json::parse(status->result).at("characters")));
        }
        const auto speakers = engines::make_speaker_identifier(project.options.engines.speakers);
        const auto resolved = series::resolve_series_characters(project.cast, heard, *speakers);
        // OUT/characters.json, with each voice reference kept beside it, written in series order.
        std::vector<std::string> order;
        for (const auto& e : project.episodes) order.push_back(e.stem().string());
        still_mine();
        series::CharacterRegistry registry(project.options.run.out_dir);
        for (const auto& [episode, characters] : heard) {
            std::vector<Character> met;
            for (const auto& c : characters) {
                const std::string& id = resolved.speaker_maps.at(episode).at(c.id);
                const auto series = std::find_if(resolved.characters.begin(), resolved.characters.end(), [&](const Character& s) { return s.id == id; });
                met.push_back(*series);
            }
            registry.record(episode, order, met);
        }
        std::vector<Character> characters = resolved.characters;
        for (auto& c : characters)
            for (const auto& e : registry.entries())
                if (e.character.id == c.id && !e.character.reference_audio.empty()) c.reference_audio = e.character.reference_audio;
        return {{"maps", resolved.speaker_maps}, {"characters", pipeline::characters_to_json(characters)}};
    }

    JobStore& store_;
    int threads_per_job_;
    std::chrono::milliseconds lease_;
    std::function<void(const series::SeriesProject&, const std::string&)> after_publish_;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const series::SeriesProject>> projects_;
};

// Renews a claim's lease every `period` until stopped; remembers when the lease was lost.
class Heartbeat {
public:
    Heartbeat(JobStore& store, const Claim& claim, std::chrono::milliseconds period, std::chrono::milliseconds lease)
        : thread_([this, &store, &claim, period, lease] {
              std::unique_lock lock(mutex_);
              while (!stop_) {
                  if (wake_.wait_for(lock, period, [this] { return stop_; })) break;
                  lock.unlock();
                  bool ok = false;
                  try {
                      ok = store.heartbeat(claim, lease);
                  } catch (...) {
                      ok = true;  // the store is unreachable for a moment: the lease may still hold
                  }
                  lock.lock();
                  if (!ok) lost_ = true;
              }
          }) {}
    ~Heartbeat() { stop(); }
    Heartbeat(const Heartbeat&) = delete;
    Heartbeat& operator=(const Heartbeat&) = delete;
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
    }
    bool lost() {
        std::lock_guard lock(mutex_);
        return lost_;
    }

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false, lost_ = false;
    std::thread thread_;
};

bool retryable(const Error& e) { return e.kind() == ErrorKind::Engine || e.kind() == ErrorKind::Io; }

bool anything_left(JobStore& store, const std::string& series, const std::string& key_prefix) {
    for (const auto& s : store.list({series, "", "", key_prefix}))
        if (s.state == JobState::Running || (s.state == JobState::Pending && !s.blocked)) return true;
    return false;
}

}  // namespace

namespace {

// The threads of one worker process: each claims a job, runs it under a heartbeat, and records
// how it ended; an idle thread waits for a job another finished (which may have unblocked
// others) or for the next poll.
class WorkerPool {
public:
    WorkerPool(JobStore& store, const WorkerOptions& options)
        : store_(store), options_(options),
          threads_(options.threads > 0 ? options.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()))),
          lease_(options.heartbeat * std::max(1, options.missed_heartbeats)),
          // The cores are shared out between the jobs: with a job per core (the default) each job
          // runs on one thread. Threads inside jobs as well cost more than they gave: on a series of
          // 4 × 90 s episodes into 5 languages on 2 cores, 2 jobs of 2 threads took 129 s and
          // 637 MB, 2 jobs of 1 thread 123 s and 404 MB (bench/factory_bench.sh).
          executor_(store, options.threads_per_job > 0 ? options.threads_per_job : std::max(1, cores() / threads_), lease_,
                    options.after_publish) {}

    int run() {
        std::vector<std::thread> pool;
        for (int i = 0; i < threads_; ++i) pool.emplace_back([this, i] { work(i); });
        for (auto& t : pool) t.join();
        if (fatal_) std::rethrow_exception(fatal_);
        throw_if_cancelled();
        return completed_;
    }

private:
    static int cores() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

    void emit(const json& event) {
        if (!options_.on_event) return;
        std::lock_guard lock(events_mutex_);
        options_.on_event(event);
    }

    void job_finished() {
        {
            std::lock_guard lock(idle_mutex_);
            ++finished_jobs_;
        }
        idle_wake_.notify_all();
    }

    void work(int index) {
        const std::string name = options_.name + (threads_ > 1 ? "/" + std::to_string(index + 1) : "");
        try {
            while (!stop_ && !cancel_requested()) {
                std::uint64_t seen = 0;  // read before claiming: a job finished meanwhile wakes us at once
                {
                    std::lock_guard lock(idle_mutex_);
                    seen = finished_jobs_;
                }
                const auto claim = store_.claim(name, lease_, options_.key_prefix);
                if (!claim) {
                    if (options_.stop_when_idle && !anything_left(store_, options_.only_series, options_.key_prefix)) break;
                    std::unique_lock lock(idle_mutex_);
                    idle_wake_.wait_for(lock, options_.idle_poll, [&] { return finished_jobs_ != seen || stop_; });
                    continue;
                }
                struct Finished {  // tells the idle threads, whatever way the job ends
                    WorkerPool* pool;
                    ~Finished() { pool->job_finished(); }
                } const finished{this};
                do_job(*claim, name);
            }
        } catch (...) {
            stop_ = true;
            std::lock_guard lock(fatal_mutex_);
            if (!fatal_) fatal_ = std::current_exception();
        }
    }

    // A store that cannot record an outcome for a moment loses nothing: the lease runs out and
    // the job is claimed again.
    template <typename Call>
    bool record(const Claim& claim, const std::string& name, const Call& call) {
        try {
            return call();
        } catch (const Error& e) {
            emit({{"event", "store-error"}, {"job", claim.key}, {"worker", name}, {"error", e.what()}});
            return false;
        }
    }

    void lost(const Claim& claim, const std::string& name, const std::string& reason) {
        emit({{"event", "lost"}, {"job", claim.key}, {"worker", name}, {"reason", reason}});
    }

    void failed(const Claim& claim, const std::string& name, const std::string& why, bool again) {
        // The store dead-letters it when it is not to be retried or its attempts are used up.
        if (record(claim, name, [&] { return store_.fail(claim, why, again, options_.backoff); }))
            emit({{"event", "failed"}, {"job", claim.key}, {"kind", claim.kind}, {"episode", claim.episode}, {"language", claim.language},
                  {"worker", name}, {"error", why}, {"retryable", again}, {"attempt", claim.attempt}});
        else
            lost(claim, name, "the lease was taken over or the job cancelled; its failure was not recorded");
    }

    void do_job(const Claim& claim, const std::string& name) {
        emit({{"event", "claimed"}, {"job", claim.key}, {"kind", claim.kind}, {"episode", claim.episode}, {"language", claim.language},
              {"worker", name}, {"attempt", claim.attempt}});
        Heartbeat heartbeat(store_, claim, options_.heartbeat, lease_);
        try {
            const json result = executor_.run(claim);
            heartbeat.stop();
            if (record(claim, name, [&] { return store_.complete(claim, result.dump()); })) {
                ++completed_;
                emit({{"event", "done"}, {"job", claim.key}, {"kind", claim.kind}, {"episode", claim.episode}, {"language", claim.language},
                      {"worker", name}, {"result", result}});
            } else {
                lost(claim, name, "the lease was taken over or the job cancelled; the result was not published");
            }
        } catch (const LeaseLost& e) {
            heartbeat.stop();
            lost(claim, name, e.what());
        } catch (const Cancelled&) {
            heartbeat.stop();
            record(claim, name, [&] { return store_.release(claim); });
            throw;
        } catch (const Error& e) {
            heartbeat.stop();
            failed(claim, name, e.what(), retryable(e) && claim.attempt < claim.max_attempts);
        } catch (const std::exception& e) {
            heartbeat.stop();
            failed(claim, name, std::string("internal error: ") + e.what() + " (please report it)", false);
        }
    }

    JobStore& store_;
    const WorkerOptions& options_;
    const int threads_;
    const std::chrono::milliseconds lease_;
    Executor executor_;
    std::atomic<int> completed_{0};
    std::atomic<bool> stop_{false};
    std::mutex events_mutex_;
    std::exception_ptr fatal_;
    std::mutex fatal_mutex_;
    std::mutex idle_mutex_;
    std::condition_variable idle_wake_;
    std::uint64_t finished_jobs_ = 0;
};

}  // namespace

int run_worker_pool(JobStore& store, const WorkerOptions& options) { return WorkerPool(store, options).run(); }

}  // namespace dramaloc::jobs
