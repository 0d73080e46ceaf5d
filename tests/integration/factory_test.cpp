// The factory as people use it: `dramaloc run` on a generated series with the job store in
// SQLite, and `dramaloc worker` processes sharing a throwaway PostgreSQL server, with workers
// killed (SIGKILL) and paused past their lease (SIGSTOP). Outputs are compared byte for byte.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/hash.hpp"
#include "support/fake_openai_server.hpp"
#include "support/postgres_server.hpp"
#include "support/s3_server.hpp"
#include "support/sample_episode.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// A series of `episodes` generated episodes of `seconds`, en → es and fr, outputs in OUT.
fs::path make_series(const fs::path& dir, int episodes, int seconds = 8) {
    for (int i = 1; i <= episodes; ++i) {
        const fs::path mp4 = dir / "episodes" / ("ep" + std::to_string(i) + ".mp4");
        if (!fs::exists(mp4)) sample_episode(mp4, seconds, 2 + i % 3);
    }
    write_file(dir / "series.toml", "[series]\ntitle = \"Factory test\"\nfrom = \"en\"\nto = [\"es\", \"fr\"]\n"
                                    "episodes = [\"episodes/ep*.mp4\"]\nout = \"out\"\n");
    return dir / "series.toml";
}

// Every published output but those that record times and places (manifest.json, qc.json,
// edits.json),
// by name (relative to OUT) -> content hash.
std::map<std::string, std::string> outputs(const fs::path& out) {
    std::map<std::string, std::string> m;
    for (const auto& rel : list_files(out)) {
        const fs::path p(rel);
        if (rel.find(".dramaloc") != std::string::npos || p.filename() == "manifest.json" || p.filename() == "qc.json" ||
            p.filename() == "edits.json")
            continue;
        m[rel] = hash_file_hex(out / rel);
    }
    return m;
}

json status_json(const fs::path& series, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"status", series.string(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run_dramaloc(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
}

// A dramaloc process in the background, its stderr going to a file the test reads.
struct Spawned {
    pid_t pid = -1;
    fs::path err;
    ~Spawned() {
        if (pid > 0) {
            ::kill(pid, SIGCONT);
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    int wait() {
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::vector<json> events() const {
        std::vector<json> out;
        const std::string text = read_file(err);
        std::size_t from = 0;
        for (std::size_t end; (end = text.find('\n', from)) != std::string::npos; from = end + 1)  // whole lines only
            if (end > from && text[from] == '{') out.push_back(json::parse(text.substr(from, end - from)));
        return out;
    }
};

std::unique_ptr<Spawned> spawn(const std::vector<std::string>& args, const fs::path& err_file) {
    auto s = std::make_unique<Spawned>();
    s->err = err_file;
    std::vector<std::string> argv = {dramaloc_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    s->pid = ::fork();
    if (s->pid == 0) {
        const int null = ::open("/dev/null", O_RDWR);
        const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(null, 0);
        ::dup2(null, 1);
        ::dup2(err, 2);
        std::vector<char*> a;
        for (auto& x : argv) a.push_back(x.data());
        a.push_back(nullptr);
        ::execv(a[0], a.data());
        _exit(127);
    }
    return s;
}

// Waits until `proc` has reported `event` for a job of `kind` (returns that event).
json wait_for_event(const Spawned& proc, const std::string& event, const std::string& kind, std::chrono::seconds limit = 120s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        for (const auto& e : proc.events())
            if (e.value("event", "") == event && e.value("kind", "") == kind) return e;
        std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "no " << event << " of a " << kind << " job within " << limit.count() << " s: " << read_file(proc.err);
    return {};
}

TEST(Factory, ASeriesGivesTheSameCharactersAndOutputsWhateverTheNumberOfWorkers) {
    TempDir one, many;
    const fs::path s1 = make_series(one.path(), 3);
    fs::create_directories(many / "episodes");
    for (int i = 1; i <= 3; ++i)
        fs::copy_file(one / "episodes" / ("ep" + std::to_string(i) + ".mp4"), many / "episodes" / ("ep" + std::to_string(i) + ".mp4"));
    const fs::path s2 = make_series(many.path(), 3);

    auto r = run_dramaloc({"run", s1.string(), "--jobs", "1", "--threads-per-job", "1", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The episode files were probed and hashed by their source jobs alone: the later jobs were
    // given what those found.
    int later_jobs = 0;
    std::istringstream events(r.err);
    for (std::string line; std::getline(events, line);) {
        if (line.empty() || line[0] != '{') continue;
        const json e = json::parse(line);
        if (e.value("event", "") != "done" || (e["kind"] != "language" && e["kind"] != "episode")) continue;
        ++later_jobs;
        EXPECT_EQ(e["result"]["probed"], false) << line;
    }
    EXPECT_EQ(later_jobs, 3 * 3) << r.err;
    r = run_dramaloc({"run", s2.string(), "--jobs", "3", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("QC es: "), std::string::npos) << r.out;

    const auto a = outputs(one / "out"), b = outputs(many / "out");
    EXPECT_EQ(a.size(), 3u * 17u + 1u) << "per episode 4 subtitle formats × 3 languages, 2 dubs, 2 scripts, the MP4; characters.json";
    EXPECT_EQ(a, b);
    const json chars = json::parse(read_file(one / "out" / "characters.json"));
    ASSERT_FALSE(chars["characters"].empty());
    for (int i = 1; i <= 3; ++i) {
        const json m = json::parse(read_file(one / "out" / ("ep" + std::to_string(i)) / "manifest.json"));
        for (const auto& c : m["characters"]) {
            bool known = false;
            for (const auto& k : chars["characters"]) known = known || k["id"] == c["id"];
            EXPECT_TRUE(known) << c["id"] << " of ep" << i << " is not a series character";
        }
    }

    // Nothing changed: the plan is resumed, nothing runs again.
    r = run_dramaloc({"run", s2.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("ep1.mp4: done by an earlier run"), std::string::npos) << r.out;
    const json st = status_json(s2);
    EXPECT_EQ(st["counts"]["done"], 3 * 4 + 1);
    EXPECT_EQ(st["counts"].size(), 1u) << st["counts"];
}

TEST(Factory, AMachineWithAnEmptyCacheFindsTheWorkInTheObjectStore) {
    shared_s3().export_environment();
    TempDir dir;
    const fs::path series = make_series(dir.path(), 1);
    const std::string artifacts = std::string("s3://") + S3Server::kBucket + "/factory-" + std::to_string(::getpid());
    auto r = run_dramaloc({"run", series.string(), "--artifacts", artifacts, "--store", (dir / "cache-a").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto first = outputs(dir / "out");
    fs::remove_all(dir / "out");
    // Another machine: its own empty cache, the same object store. Nothing is computed again.
    r = run_dramaloc({"run", series.string(), "--artifacts", artifacts, "--store", (dir / "cache-b").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("ep1.mp4: 0 stages computed"), std::string::npos) << r.out;
    EXPECT_EQ(outputs(dir / "out"), first);
    // Without keys, a clear configuration error before any work.
    ::unsetenv("AWS_SECRET_ACCESS_KEY");
    r = run_dramaloc({"run", series.string(), "--artifacts", artifacts});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << r.err;
    shared_s3().export_environment();
}

TEST(Factory, ACorruptEpisodeIsDeadLetteredAloneWithItsReason) {
    TempDir dir;
    fs::create_directories(dir / "episodes");
    write_file(dir / "episodes" / "ep0.mp4", "this is not a video");
    const fs::path series = make_series(dir.path(), 2);
    const auto r = run_dramaloc({"run", series.string(), "-q"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("1 of 3 episodes failed"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(dir / "out" / "ep1" / "ep1.localized.mp4"));
    EXPECT_TRUE(fs::exists(dir / "out" / "ep2" / "ep2.localized.mp4"));
    EXPECT_FALSE(fs::exists(dir / "out" / "ep0"));
    const json st = status_json(series);
    bool seen = false;
    for (const auto& j : st["jobs"]) {
        if (j["episode"] != "ep0") {
            EXPECT_EQ(j["state"], "done") << j;
            continue;
        }
        if (j["kind"] == "source") {
            seen = true;
            EXPECT_EQ(j["state"], "failed");
            EXPECT_EQ(j["attempts"], 1) << "an input error is not retried";
            EXPECT_NE(j["error"].get<std::string>().find("ep0.mp4"), std::string::npos) << j;
        } else {
            EXPECT_EQ(j["state"], "blocked") << j;
        }
    }
    EXPECT_TRUE(seen);
    // The plain status names the failure in one line.
    const auto plain = run_dramaloc({"status", series.string()});
    EXPECT_NE(plain.out.find("source ep0: failed after 1 attempts: "), std::string::npos) << plain.out;
    // Retry puts it back; it fails again for the same reason.
    const auto retry = run_dramaloc({"retry", series.string(), "-e", "ep0"});
    EXPECT_EQ(retry.exit_code, 0) << retry.err;
    EXPECT_NE(retry.out.find("1 job to run again"), std::string::npos) << retry.out;
}

// A language whose engine keeps failing (a model that answers French with prose) fails its
// own job: retried with backoff until its attempts are used up, then dead-lettered with the
// reason, while the episode is published with the other language.
TEST(Factory, ALanguageWhoseEngineKeepsFailingIsRetriedThenDeadLetteredAndTheOthersPublish) {
    FakeOpenAiServer server;
    server.refuse_language("fr", "I am sorry, I cannot translate this text.");
    TempDir dir;
    const fs::path series = make_series(dir.path(), 1);
    std::string toml = read_file(series);
    toml += "\n[engines.translate]\nbackend = \"openai\"\nurl = \"" + server.base_url() + "\"\nmodel = \"m\"\nmax_retries = 0\n";
    write_file(series, toml);
    const auto r = run_dramaloc({"run", series.string(), "--json"});
    EXPECT_EQ(r.exit_code, 7) << r.err;
    int fr_failures = 0;
    std::istringstream events(r.err);  // --json: one event per line on stderr
    for (std::string line; std::getline(events, line);) {
        const json e = json::parse(line, nullptr, false);
        if (e.is_object() && e.value("event", "") == "failed" && e.value("job", "").find("lang/ep1/fr") != std::string::npos) {
            ++fr_failures;
            // Retried after the first two; the third is the last attempt, and says so.
            EXPECT_EQ(e.value("retryable", true), e.value("attempt", 0) < 3) << line;
        }
    }
    EXPECT_EQ(fr_failures, 3) << "the French job runs three times\n" << r.err;
    EXPECT_TRUE(fs::exists(dir / "out" / "ep1" / "ep1.es.srt"));
    EXPECT_FALSE(fs::exists(dir / "out" / "ep1" / "ep1.fr.srt"));
    bool seen = false;
    const json st = status_json(series);
    for (const auto& j : st["jobs"]) {
        if (j["kind"] != "language" || j["language"] != "fr") {
            EXPECT_EQ(j["state"], "done") << j;
            continue;
        }
        seen = true;
        EXPECT_EQ(j["state"], "failed") << j;
        EXPECT_EQ(j["attempts"], 3) << j;
        EXPECT_NE(j["error"].get<std::string>().find("untranslated"), std::string::npos) << j;
    }
    EXPECT_TRUE(seen) << st.dump();

    // The model answers again: `retry --lang fr` and a run publish French too (the episode
    // job, done without it, runs again after the language).
    server.accept_language("fr");
    const auto again = run_dramaloc({"retry", series.string(), "--lang", "fr"});
    EXPECT_NE(again.out.find("1 job to run again"), std::string::npos) << again.out;
    const auto rerun = run_dramaloc({"run", series.string(), "-q"});
    EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
    EXPECT_TRUE(fs::exists(dir / "out" / "ep1" / "ep1.fr.srt"));
}

// `status` after a plan of one episode (run -e, edit) shows the whole series: that
// episode's jobs from the new plan, the others as the full run left them.
TEST(Factory, StatusAfterAPlanOfOneEpisodeStillShowsEveryEpisode) {
    TempDir dir;
    const fs::path series = make_series(dir.path(), 2, 5);
    auto r = run_dramaloc({"run", series.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_dramaloc({"run", series.string(), "-e", "ep2", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json st = status_json(series);
    ASSERT_EQ(st["jobs"].size(), 9u) << "2 sources, characters, 4 languages, 2 episodes: " << st.dump();
    std::map<std::string, std::set<std::string>> plans;  // episode -> plans of its jobs
    for (const auto& j : st["jobs"]) {
        EXPECT_EQ(j["state"], "done") << j;
        const std::string job = j["job"];
        plans[j["episode"].get<std::string>()].insert(job.substr(0, job.find('/')));
    }
    ASSERT_EQ(plans["ep1"].size(), 1u);
    ASSERT_EQ(plans["ep2"].size(), 1u);
    EXPECT_NE(*plans["ep1"].begin(), *plans["ep2"].begin()) << "ep2's jobs come from the newer plan";
    EXPECT_EQ(plans[""], plans["ep2"]) << "and so does the characters job";
}

// The last job `proc` claimed and did not finish.
json unfinished_claim(const Spawned& proc) {
    json last;
    std::set<std::string> done;
    for (const auto& e : proc.events()) {
        if (e.value("event", "") == "claimed") last = e;
        if (e.value("event", "") == "done" || e.value("event", "") == "lost") done.insert(e.value("job", ""));
    }
    return last.is_null() || done.count(last.value("job", "")) ? json() : last;
}

TEST(Factory, ARunKilledMidwayFinishesTheRestWithoutRedoingWhatWasDone) {
    TempDir dir;
    const fs::path series = make_series(dir.path(), 3);
    // A ten-minute lease: only knowing that the killed run's process is gone lets the next
    // run take its job over at once.
    auto first = spawn({"run", series.string(), "--jobs", "1", "--json", "--heartbeat", "200"}, dir / "first.err");
    wait_for_event(*first, "done", "language");  // phase 3 under way
    wait_for_event(*first, "claimed", "episode");
    ::kill(first->pid, SIGKILL);
    EXPECT_EQ(first->wait(), 128 + SIGKILL);
    const json held = unfinished_claim(*first);
    ASSERT_FALSE(held.is_null()) << read_file(first->err);
    const json before = status_json(series);
    std::map<std::string, std::string> finished;
    for (const auto& j : before["jobs"])
        if (j["state"] == "done") finished[j["job"]] = j.dump();
    ASSERT_FALSE(finished.empty());

    auto second = spawn({"run", series.string(), "--json"}, dir / "second.err");
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    bool taken_over = false;
    while (!taken_over && std::chrono::steady_clock::now() < deadline) {
        for (const auto& e : second->events())
            taken_over = taken_over || (e.value("event", "") == "claimed" && e["job"] == held["job"] && e["attempt"] == 2);
        if (!taken_over) std::this_thread::sleep_for(50ms);
    }
    EXPECT_TRUE(taken_over) << "the killed run's job was not taken over: " << read_file(second->err);
    ASSERT_EQ(second->wait(), 0) << read_file(second->err);
    const json after = status_json(series);
    for (const auto& j : after["jobs"]) {
        EXPECT_EQ(j["state"], "done") << j;
        if (finished.count(j["job"])) {
            EXPECT_EQ(finished[j["job"]], j.dump()) << "a finished job ran again";
        }
    }
}

TEST(Factory, WorkersOnPostgresSurviveAKillAndPublishOneResultPerJob) {
    TempDir ref, dir;
    // The reference: one process, SQLite.
    const fs::path ref_series = make_series(ref.path(), 6);
    auto r = run_dramaloc({"run", ref_series.string(), "--jobs", "2", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    fs::create_directories(dir / "episodes");
    for (int i = 1; i <= 6; ++i)
        fs::copy_file(ref / "episodes" / ("ep" + std::to_string(i) + ".mp4"), dir / "episodes" / ("ep" + std::to_string(i) + ".mp4"));
    const fs::path series = make_series(dir.path(), 6);
    const std::string db = shared_postgres().create_database();
    auto with = [&](std::vector<std::string> args, const std::string& heartbeat) {
        for (const std::string& a : std::vector<std::string>{"--db", db, "--heartbeat", heartbeat, "--json", "--jobs", "1"}) args.push_back(a);
        return args;
    };
    auto killed = spawn(with({"worker"}, "3"), dir / "killed.err");
    auto paused = spawn(with({"worker"}, "1"), dir / "paused.err");  // a lease of 3 s
    auto steady = spawn(with({"worker"}, "3"), dir / "steady.err");
    auto run = spawn(with({"run", series.string()}, "3"), dir / "run.err");

    // One worker dies in the middle of a stage (recognising an episode): its connection closes,
    // its job is taken over.
    wait_for_event(*killed, "claimed", "source");
    std::this_thread::sleep_for(200ms);
    ::kill(killed->pid, SIGKILL);
    killed->wait();
    const json victim = unfinished_claim(*killed);
    ASSERT_FALSE(victim.is_null()) << read_file(killed->err);
    const std::string victim_job = victim["job"].get<std::string>().substr(victim["job"].get<std::string>().rfind('#') + 1);

    // Another is paused (SIGSTOP) in the middle of a job until its lease has run out and the
    // job was taken over, then resumed: it finishes its work, and its result is refused.
    json stalled;
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (stalled.is_null() && std::chrono::steady_clock::now() < deadline) {
        if (unfinished_claim(*paused).is_null()) {
            std::this_thread::sleep_for(10ms);
            continue;
        }
        ::kill(paused->pid, SIGSTOP);
        std::this_thread::sleep_for(50ms);
        stalled = unfinished_claim(*paused);  // still unfinished once stopped: it was mid-job
        if (stalled.is_null()) ::kill(paused->pid, SIGCONT);
    }
    ASSERT_FALSE(stalled.is_null()) << "the worker to pause never held a job: " << read_file(paused->err);
    bool taken_over = false;
    while (!taken_over && std::chrono::steady_clock::now() < deadline) {
        for (const auto* p : {steady.get(), run.get()})
            for (const auto& e : p->events())
                taken_over = taken_over || (e.value("event", "") == "claimed" && e["job"] == stalled["job"] && e["attempt"] >= 2);
        if (!taken_over) std::this_thread::sleep_for(50ms);
    }
    EXPECT_TRUE(taken_over) << stalled["job"] << " was not taken over from the paused worker";
    ::kill(paused->pid, SIGCONT);
    EXPECT_EQ(run->wait(), 0) << read_file(run->err);
    bool refused = false;
    while (!refused && std::chrono::steady_clock::now() < deadline) {
        for (const auto& e : paused->events()) refused = refused || (e.value("event", "") == "lost" && e["job"] == stalled["job"]);
        if (!refused) std::this_thread::sleep_for(50ms);
    }
    EXPECT_TRUE(refused) << "the paused worker's late result for " << stalled["job"] << " was not refused: " << read_file(paused->err);

    const json st = status_json(series, {"--db", db});
    for (const auto& j : st["jobs"]) {
        EXPECT_EQ(j["state"], "done") << j;
        if (j["job"] == victim_job) {
            EXPECT_GE(j["attempts"], 2) << j;
        }
    }
    // Each job published once, by one worker; the outputs are those of the single process.
    std::map<std::string, int> done_events;
    for (const auto* p : {paused.get(), steady.get(), run.get()})
        for (const auto& e : p->events())
            if (e.value("event", "") == "done") ++done_events[e["job"]];
    for (const auto& [job, n] : done_events) EXPECT_EQ(n, 1) << job;
    EXPECT_EQ(outputs(ref / "out"), outputs(dir / "out"));
}

// The stages a run computed for an episode, from its stdout ("ep1.mp4: 5 stages computed").
int stages_computed(const std::string& out, const std::string& episode_file) {
    const auto at = out.find(episode_file + ": ");
    if (at == std::string::npos) return -1;
    return std::atoi(out.c_str() + at + episode_file.size() + 2);
}

json script_line(const fs::path& file, int id) {
    const json script = json::parse(read_file(file));
    for (const auto& l : script["lines"])
        if (l["id"] == id) return l;
    return {};
}

TEST(Factory, AnEditedLineReRendersOnlyWhatDependsOnItAndIsKeptThroughReRunsAndUpstreamChanges) {
    TempDir dir;
    sample_episode(dir / "episodes" / "ep1.mp4", 8, 2);
    const auto srt = [&](const std::string& second_line) {
        write_file(dir / "scripts" / "ep1.srt", "1\n00:00:00,500 --> 00:00:02,000\nGood morning.\n\n"
                                                "2\n00:00:02,800 --> 00:00:04,600\n" + second_line + "\n\n"
                                                "3\n00:00:05,200 --> 00:00:07,000\nThe house is big.\n");
    };
    srt("Where is the station?");
    write_file(dir / "series.toml", "[series]\nfrom = \"en\"\nto = [\"es\", \"fr\"]\nepisodes = [\"episodes/ep*.mp4\"]\n"
                                    "source = \"srt:scripts/{episode}.srt\"\nout = \"out\"\n");
    const fs::path series = dir / "series.toml", ep = dir / "out" / "ep1";
    auto r = run_dramaloc({"run", series.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto first = outputs(dir / "out");
    const std::string machine = script_line(ep / "ep1.es.script.json", 2)["text"];
    ASSERT_FALSE(machine.empty());
    const auto fr_dub_written = fs::last_write_time(ep / "ep1.fr.dub.wav");

    // `edit`: the line, its clip, the subtitles, the mix and the MP4 are made again, no more.
    r = run_dramaloc({"edit", series.string(), "-e", "ep1", "--lang", "es", "--line", "2", "--text", "¿Dónde queda la estación de tren?",
                      "--by", "ana", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const int computed = stages_computed(r.out, "ep1.mp4");
    EXPECT_GE(computed, 4) << r.out;
    EXPECT_LE(computed, 6) << "synthesize, fit, subtitles, mix, mux (and no other line): " << r.out;
    EXPECT_EQ(script_line(ep / "ep1.es.script.json", 2)["text"], "¿Dónde queda la estación de tren?");
    EXPECT_EQ(script_line(ep / "ep1.es.script.json", 2)["origin"], "manual");
    EXPECT_NE(read_file(ep / "ep1.es.srt").find("estación de tren"), std::string::npos);
    const auto edited = outputs(dir / "out");
    for (const auto* same : {"ep1/ep1.fr.srt", "ep1/ep1.fr.dub.wav", "ep1/ep1.en.srt", "ep1/ep1.fr.script.json"})
        EXPECT_EQ(edited.at(same), first.at(same)) << same << " does not depend on the es line";
    EXPECT_EQ(fs::last_write_time(ep / "ep1.fr.dub.wav"), fr_dub_written) << "an unchanged dub is not copied again";
    for (const auto* changed : {"ep1/ep1.es.srt", "ep1/ep1.es.dub.wav", "ep1/ep1.localized.mp4"})
        EXPECT_NE(edited.at(changed), first.at(changed)) << changed;
    json history = json::parse(read_file(dir / "out" / "edits.json"))["edits"];
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0]["who"], "ana");
    EXPECT_EQ(history[0]["before"], machine);
    EXPECT_EQ(history[0]["after"], "¿Dónde queda la estación de tren?");
    EXPECT_FALSE(history[0]["when"].get<std::string>().empty());

    // A re-run keeps it and computes nothing.
    r = run_dramaloc({"run", series.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(outputs(dir / "out"), edited);

    // An edit in the published script file is found, recorded and rendered by the next run.
    json fr = json::parse(read_file(ep / "ep1.fr.script.json"));
    for (auto& l : fr["lines"])
        if (l["id"] == 3) l["text"] = "La maison est immense.";
    write_file(ep / "ep1.fr.script.json", fr.dump(2));
    write_file(ep / "ep1.es.dub.wav", "spoiled");  // and an output changed by hand
    r = run_dramaloc({"run", series.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(outputs(dir / "out").at("ep1/ep1.es.dub.wav"), edited.at("ep1/ep1.es.dub.wav")) << "published again";
    EXPECT_NE(r.err.find("ep1 fr line 3: edited in ep1.fr.script.json"), std::string::npos) << r.err;
    EXPECT_NE(read_file(ep / "ep1.fr.srt").find("La maison est immense."), std::string::npos);
    EXPECT_EQ(script_line(ep / "ep1.es.script.json", 2)["text"], "¿Dónde queda la estación de tren?") << "the es edit is still there";
    history = json::parse(read_file(dir / "out" / "edits.json"))["edits"];
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[1]["via"], "script-file");

    // Upstream, the source line changes: its new translation does not overwrite the edit; the
    // run says so, and QC records it.
    srt("Where is the old bridge?");
    r = run_dramaloc({"run", series.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("edit kept: ep1 es: line 2: the machine translation is now"), std::string::npos) << r.err;
    EXPECT_EQ(script_line(ep / "ep1.es.script.json", 2)["text"], "¿Dónde queda la estación de tren?");
    EXPECT_NE(script_line(ep / "ep1.es.script.json", 2)["text"], machine);
    const json qc = json::parse(read_file(ep / "qc.json"));
    EXPECT_EQ(qc["languages"]["es"]["summary"]["edit_conflicts"], 1) << qc["languages"]["es"]["summary"];

    // --revert takes the machine translation back; the history keeps every step.
    r = run_dramaloc({"edit", series.string(), "-e", "ep1", "--lang", "es", "--line", "2", "--revert", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(script_line(ep / "ep1.es.script.json", 2)["text"], "¿Dónde queda la estación de tren?");
    EXPECT_EQ(script_line(ep / "ep1.es.script.json", 2)["origin"], "translation");
    r = run_dramaloc({"edits", series.string(), "--lang", "es"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count_lines(r.out), 2) << r.out;
    EXPECT_NE(r.out.find("(reverted)"), std::string::npos) << r.out;

    // Mistakes are one clear line each, and change nothing.
    for (const auto& bad : std::vector<std::vector<std::string>>{
             {"--line", "9", "--lang", "es", "--text", "x"}, {"--line", "2", "--lang", "de", "--text", "x"},
             {"--line", "2", "--lang", "es"}, {"--line", "2", "--lang", "es", "--text", "a\nb"}}) {
        std::vector<std::string> args = {"edit", series.string(), "-e", "ep1", "--no-run"};
        args.insert(args.end(), bad.begin(), bad.end());
        r = run_dramaloc(args);
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_EQ(count_lines(r.err), 1) << r.err;
    }
    EXPECT_EQ(json::parse(read_file(dir / "out" / "edits.json"))["edits"].size(), 3u);
    // A script file broken by hand is named, and the run stops before overwriting it.
    write_file(ep / "ep1.fr.script.json", "{\"language\": \"fr\", \"lines\": [");
    r = run_dramaloc({"run", series.string(), "-q"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("ep1.fr.script.json"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(ep / "ep1.fr.script.json"), "{\"language\": \"fr\", \"lines\": [");
}

}  // namespace
