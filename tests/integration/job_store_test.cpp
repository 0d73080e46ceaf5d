// The job store on both backends, the same tests: SQLite in a temporary file and PostgreSQL
// in a throwaway cluster started by the test (support/postgres_server.hpp). Leases are short
// here (tens of ms) so that expiry is tested without long sleeps.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <map>
#include <set>
#include <string>
#include <thread>

#include <pqxx/pqxx>
#include <sqlite3.h>

#include "core/error.hpp"
#include "jobs/job_store.hpp"
#include "support/postgres_server.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::jobs;
using namespace std::chrono_literals;

namespace {

class JobStoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        url_ = test::store_url_for(GetParam(), dir_.path());
        store_ = open_job_store(url_);
    }
    std::unique_ptr<JobStore> open_again() const { return open_job_store(url_); }

    test::TempDir dir_;
    std::string url_;
    std::unique_ptr<JobStore> store_;
};

JobSpec job(std::string key, int priority = 0, std::vector<std::string> deps = {}, std::string series = "s") {
    JobSpec j;
    j.key = key;
    j.kind = "test";
    j.series = std::move(series);
    j.episode = key.substr(0, key.find('/'));
    j.language = key.find('/') == std::string::npos ? "" : key.substr(key.find('/') + 1);
    j.priority = priority;
    j.depends_on = std::move(deps);
    j.payload = "{\"k\":\"" + key + "\"}";
    return j;
}

std::string claim_key(JobStore& store, const std::string& worker = "w") {
    const auto c = store.claim(worker, 10s);
    if (!c) return "";
    EXPECT_TRUE(store.complete(*c, "done " + c->key));
    return c->key;
}

TEST_P(JobStoreTest, ClaimsByPriorityThenAgeAndOnlyWhenDependenciesAreDone) {
    store_->add({job("ep2/src", 2), job("ep1/src", 1), job("series/chars", 5, {"ep1/src", "ep2/src"}), job("ep1/es", 1, {"series/chars"})});
    EXPECT_EQ(claim_key(*store_), "ep1/src");
    const auto held = store_->claim("w", 10s);  // ep2/src, held: the characters job must wait for it
    ASSERT_TRUE(held);
    EXPECT_EQ(held->key, "ep2/src");
    EXPECT_EQ(held->payload, "{\"k\":\"ep2/src\"}");
    EXPECT_EQ(held->attempt, 1);
    EXPECT_FALSE(store_->claim("w", 10s));
    ASSERT_TRUE(store_->complete(*held, "r"));
    EXPECT_EQ(claim_key(*store_), "series/chars");
    EXPECT_EQ(claim_key(*store_), "ep1/es");
    EXPECT_EQ(claim_key(*store_), "");
    const auto s = store_->get("ep1/es");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->state, JobState::Done);
    EXPECT_EQ(s->result, "done ep1/es");
    EXPECT_EQ(s->worker, "w");
    EXPECT_GT(s->finished_ms, 0);
}

TEST_P(JobStoreTest, AddingTheSamePlanAgainLeavesFinishedJobsAlone) {
    store_->add({job("a"), job("b", 0, {"a"})});
    EXPECT_EQ(claim_key(*store_), "a");
    store_->add({job("a"), job("b", 0, {"a"})});
    EXPECT_EQ(store_->get("a")->state, JobState::Done);
    EXPECT_EQ(store_->list({}).size(), 2u);
    EXPECT_EQ(claim_key(*store_), "b");
    EXPECT_THROW(store_->add({job("c", 0, {"nowhere"})}), ConfigError);
    EXPECT_FALSE(store_->get("c"));  // the whole call was rolled back
}

TEST_P(JobStoreTest, AnExpiredLeaseIsTakenOverAndTheOldHolderCannotPublish) {
    store_->add({job("a")});
    const auto first = store_->claim("paused", 1000ms);
    ASSERT_TRUE(first);
    EXPECT_TRUE(store_->heartbeat(*first, 1000ms));
    EXPECT_FALSE(store_->claim("other", 10s));  // held
    std::this_thread::sleep_for(1500ms);        // the holder is paused past its lease
    auto other = open_again();
    const auto second = other->claim("other", 10s);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->key, "a");
    EXPECT_GT(second->fence, first->fence);
    EXPECT_EQ(second->attempt, 2);
    // The paused worker wakes up: its heartbeat, its result and its failure are all refused.
    EXPECT_FALSE(store_->heartbeat(*first, 10s));
    EXPECT_FALSE(store_->complete(*first, "late"));
    EXPECT_FALSE(store_->fail(*first, "late failure", true, {}));
    EXPECT_TRUE(other->complete(*second, "on time"));
    EXPECT_FALSE(other->complete(*second, "twice"));
    const auto s = store_->get("a");
    EXPECT_EQ(s->result, "on time");
    EXPECT_EQ(s->worker, "other");
}

TEST_P(JobStoreTest, FailuresBackOffThenDeadLetterWhileTheRestGoesOn) {
    auto spec = job("bad");
    spec.max_attempts = 2;
    store_->add({spec, job("after-bad", 5, {"bad"}), job("good", 9)});
    const BackoffPolicy policy{2000ms, 4000ms};  // the first retry is due after 1 to 2 s
    auto c = store_->claim("w", 10s);
    ASSERT_EQ(c->key, "bad");
    ASSERT_TRUE(store_->fail(*c, "corrupt video: no frames", true, policy));
    EXPECT_EQ(store_->get("bad")->state, JobState::Pending);
    // Not due yet: the next claim is the other job, not the one backing off.
    c = store_->claim("w", 10s);
    ASSERT_EQ(c->key, "good");
    ASSERT_TRUE(store_->complete(*c, ""));
    EXPECT_FALSE(store_->claim("w", 10s));
    std::this_thread::sleep_for(2200ms);
    c = store_->claim("w", 10s);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->key, "bad");
    EXPECT_EQ(c->attempt, 2);
    ASSERT_TRUE(store_->fail(*c, "corrupt video: no frames", true, policy));
    const auto s = store_->get("bad");
    EXPECT_EQ(s->state, JobState::Failed);
    EXPECT_EQ(s->error, "corrupt video: no frames");
    EXPECT_EQ(s->attempts, 2);
    EXPECT_TRUE(store_->get("after-bad")->blocked);
    EXPECT_FALSE(store_->claim("w", 10s));
}

TEST_P(JobStoreTest, AFailureThatCannotHelpBeingRetriedIsDeadLetteredAtOnce) {
    store_->add({job("a")});
    const auto c = store_->claim("w", 10s);
    ASSERT_TRUE(store_->fail(*c, "no audio stream", false, {}));
    EXPECT_EQ(store_->get("a")->state, JobState::Failed);
    EXPECT_EQ(store_->get("a")->attempts, 1);
}

TEST_P(JobStoreTest, AWorkerThatKeepsDyingDeadLettersItsJob) {
    auto spec = job("a");
    spec.max_attempts = 1;
    store_->add({spec, job("b", 1)});
    const auto c = store_->claim("killed", 50ms);
    ASSERT_TRUE(c);
    std::this_thread::sleep_for(150ms);
    EXPECT_EQ(claim_key(*store_), "b");  // "a" was dead-lettered, not claimed again
    const auto s = store_->get("a");
    EXPECT_EQ(s->state, JobState::Failed);
    EXPECT_NE(s->error.find("killed"), std::string::npos) << s->error;
    EXPECT_NE(s->error.find("lease"), std::string::npos) << s->error;
}

TEST_P(JobStoreTest, RetryAndCancelFollowTheirFilters) {
    store_->add({job("ep1/es"), job("ep1/fr"), job("ep2/es"), job("x/es", 0, {}, "other-series")});
    const auto running = store_->claim("w", 10s);
    ASSERT_EQ(running->key, "ep1/es");
    EXPECT_EQ(store_->cancel({"s", "ep1", "", ""}), 2);
    EXPECT_FALSE(store_->heartbeat(*running, 10s));  // the worker learns it was cancelled
    EXPECT_FALSE(store_->complete(*running, "r"));
    EXPECT_EQ(store_->get("ep1/fr")->state, JobState::Cancelled);
    EXPECT_EQ(store_->get("ep2/es")->state, JobState::Pending);
    EXPECT_EQ(store_->retry({"s", "", "fr", ""}), 1);
    EXPECT_EQ(store_->get("ep1/fr")->state, JobState::Pending);
    EXPECT_EQ(store_->get("ep1/es")->state, JobState::Cancelled);
    EXPECT_EQ(store_->list({"s", "", "", ""}).size(), 3u);
    EXPECT_EQ(store_->list({"", "", "es", ""}).size(), 3u);
    EXPECT_EQ(store_->retry({}), 1);
    EXPECT_EQ(store_->get("ep1/es")->attempts, 0);
}

TEST_P(JobStoreTest, ResetRunsADoneJobAgainAndFencesItsOldClaim) {
    store_->add({job("a")});
    const auto c = store_->claim("w", 10s);
    EXPECT_TRUE(store_->reset("a"));  // an edit made its result stale while it ran
    EXPECT_FALSE(store_->complete(*c, "stale"));
    EXPECT_EQ(claim_key(*store_), "a");
    EXPECT_TRUE(store_->reset("a"));
    EXPECT_EQ(store_->get("a")->state, JobState::Pending);
    EXPECT_EQ(store_->get("a")->result, "");
    EXPECT_FALSE(store_->reset("nothing"));
}

TEST_P(JobStoreTest, AJobThatComesAfterOthersRunsHoweverTheyFinished) {
    auto bad = job("ep1/src");
    bad.max_attempts = 1;
    auto series = job("chars", 9);
    series.after = {"ep1/src", "ep2/src"};
    store_->add({bad, job("ep2/src", 1), series, job("ep1/es", 0, {"ep1/src"})});
    const auto c = store_->claim("w", 10s);
    ASSERT_EQ(c->key, "ep1/src");
    ASSERT_TRUE(store_->fail(*c, "corrupt", true, {}));  // its only attempt: dead-lettered
    EXPECT_EQ(store_->get("ep1/src")->state, JobState::Failed);
    EXPECT_TRUE(store_->get("ep1/es")->blocked);    // a hard dependency failed
    EXPECT_FALSE(store_->get("chars")->blocked);    // a soft one only delays it
    const auto held = store_->claim("w", 10s);
    ASSERT_EQ(held->key, "ep2/src");
    EXPECT_FALSE(store_->claim("w", 10s));  // chars waits for ep2/src to finish
    ASSERT_TRUE(store_->complete(*held, ""));
    EXPECT_EQ(claim_key(*store_), "chars");
    EXPECT_EQ(claim_key(*store_), "");
}

TEST_P(JobStoreTest, AReleasedJobIsClaimableAgainWithoutLosingAnAttempt) {
    auto spec = job("a");
    spec.max_attempts = 1;
    store_->add({spec});
    const auto c = store_->claim("stopping", 10s);
    ASSERT_TRUE(store_->release(*c));  // Ctrl-C: given back
    EXPECT_FALSE(store_->complete(*c, "r"));
    const auto again = store_->claim("w", 10s);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->attempt, 1);
    EXPECT_GT(again->fence, c->fence);
}

TEST_P(JobStoreTest, ARunClaimsOnlyItsPlanAndANewPlanSupersedesTheOld) {
    store_->add({job("old/a"), job("old/b"), job("new/a", 5)});
    const auto c = store_->claim("w", 10s, "new/");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->key, "new/a");  // though the old plan's jobs come first by priority
    EXPECT_FALSE(store_->claim("w", 10s, "new/"));
    EXPECT_EQ(store_->supersede("s", "new/"), 2);
    const auto old = store_->list({"s", "", "", "old/"});
    ASSERT_EQ(old.size(), 2u);
    for (const auto& j : old) {
        EXPECT_EQ(j.state, JobState::Cancelled);
        EXPECT_NE(j.error.find("superseded"), std::string::npos) << j.error;
    }
    EXPECT_EQ(store_->get("new/a")->state, JobState::Running);
    EXPECT_EQ(store_->retry({"s", "", "", "old/"}), 2);
    EXPECT_EQ(store_->get("old/a")->error, "");
}

TEST_P(JobStoreTest, ProcessesClaimingAtOnceCompleteEachJobExactlyOnce) {
    constexpr int kJobs = 400, kWorkers = 4;
    std::vector<JobSpec> jobs;
    for (int i = 0; i < kJobs; ++i) jobs.push_back(job("j" + std::to_string(i), i % 7));
    store_->add(jobs);
    store_.reset();
    std::vector<pid_t> children;
    for (int w = 0; w < kWorkers; ++w) {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            int code = 0;
            try {
                auto store = open_job_store(url_);
                const std::string name = "worker" + std::to_string(w);
                while (const auto c = store->claim(name, 10s))
                    if (!store->complete(*c, name)) code = 2;
            } catch (...) {
                code = 3;
            }
            _exit(code);
        }
        children.push_back(pid);
    }
    for (const pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    }
    store_ = open_again();
    const auto all = store_->list({});
    ASSERT_EQ(all.size(), static_cast<std::size_t>(kJobs));
    for (const auto& s : all) {
        EXPECT_EQ(s.state, JobState::Done) << s.key;
        EXPECT_EQ(s.attempts, 1) << s.key;  // never claimed twice
        EXPECT_EQ(s.result, s.worker) << s.key;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, JobStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(PostgresJobStore, AKilledWorkersJobIsTakenOverWithoutWaitingForItsLease) {
    const std::string url = test::shared_postgres().create_database();
    open_job_store(url)->add({job("a")});
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::close(ready[0]);
        bool claimed = false;
        try {
            auto store = open_job_store(url);
            claimed = store->claim("doomed", 600s).has_value();  // a ten-minute lease
            (void)!::write(ready[1], claimed ? "y" : "n", 1);
            ::pause();
        } catch (...) {
            (void)!::write(ready[1], "e", 1);
        }
        _exit(0);
    }
    ::close(ready[1]);
    char answer = 0;
    ASSERT_EQ(::read(ready[0], &answer, 1), 1);
    ASSERT_EQ(answer, 'y');
    auto store = open_job_store(url);
    EXPECT_FALSE(store->claim("other", 10s));  // its holder is alive: the lease holds
    const auto killed_at = std::chrono::steady_clock::now();
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    std::optional<Claim> c;
    while (!c && std::chrono::steady_clock::now() - killed_at < 10s) {
        c = store->claim("other", 10s);
        if (!c) std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(c) << "not taken over within 10 s of the kill";
    EXPECT_EQ(c->attempt, 2);
    EXPECT_LT(std::chrono::steady_clock::now() - killed_at, 5s);
}

// SQLite is one machine: a worker named HOST:PID (as dramaloc names its workers) whose
// process is gone loses its job at once; one whose process lives keeps it until its lease ends.
TEST(SqliteJobStore, AJobOfAWorkerWhoseProcessIsGoneIsTakenOverWithoutWaitingForItsLease) {
    test::TempDir dir;
    auto store = open_job_store("sqlite:" + (dir / "jobs.db").string());
    store->add({job("a"), job("b")});
    const pid_t child = ::fork();
    if (child == 0) _exit(0);
    ::waitpid(child, nullptr, 0);  // a pid no process has now
    // The living worker claims first: a claim made after the dead one would already take it over.
    const auto alive = store->claim(local_worker_name(::getpid()), 3600s);
    const auto dead = store->claim(local_worker_name(child) + "/1", 3600s);
    ASSERT_TRUE(dead && alive);
    const auto taken = store->claim("other", 10s);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->key, dead->key);
    EXPECT_EQ(taken->attempt, 2);
    EXPECT_FALSE(store->complete(*dead, "late")) << "the gone worker's claim is fenced off";
    EXPECT_FALSE(store->claim("other", 10s)) << "the living worker keeps its job";
    EXPECT_TRUE(store->complete(*alive, "ok"));
}

TEST(PostgresJobStore, OpeningTheStoreDoesNotWaitForAWorkerPausedInsideATransaction) {
    const std::string url = test::shared_postgres().create_database();
    open_job_store(url)->add({job("a")});
    // A worker stopped (SIGSTOP) in the middle of a heartbeat: its transaction holds the
    // table's row-exclusive lock until it is resumed.
    pqxx::connection paused(url);
    pqxx::work transaction(paused);
    transaction.exec("UPDATE dramaloc_jobs SET worker = worker");
    const auto started = std::chrono::steady_clock::now();
    auto other = std::async(std::launch::async, [&] {
        auto store = open_job_store(url);  // status, a new worker: must not queue behind it
        return store->get("a").has_value();
    });
    ASSERT_EQ(other.wait_for(10s), std::future_status::ready) << "opening the store waited for the paused transaction";
    EXPECT_TRUE(other.get());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    transaction.abort();
}

TEST(JobStoreUrl, AnUnreachableServerIsOneLineWithoutThePassword) {
    try {
        open_job_store("postgresql://dramaloc:secret@127.0.0.1:1/nowhere?connect_timeout=2");
        FAIL() << "connected to nothing";
    } catch (const EngineError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find("secret"), std::string::npos) << what;
        EXPECT_NE(what.find("127.0.0.1:1"), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
    EXPECT_THROW(open_job_store("mysql://host/db"), ConfigError);
    test::TempDir dir;
    EXPECT_THROW(open_job_store((dir / "no-such-folder" / "jobs.db").string()), IoError);
}

}  // namespace

