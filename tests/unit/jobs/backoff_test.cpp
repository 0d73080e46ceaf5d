#include <gtest/gtest.h>

#include "jobs/job_store.hpp"
#include "store/database.hpp"

using namespace dramaloc::jobs;
using dramaloc::store::redact_url;
using namespace std::chrono_literals;

TEST(Backoff, DoublesPerAttemptWithJitterAndACap) {
    const BackoffPolicy policy{1000ms, 30000ms};
    for (int attempt = 1; attempt <= 8; ++attempt) {
        const double full = std::min(1000.0 * (1 << (attempt - 1)), 30000.0);
        double lowest = 1e9, highest = 0;
        for (int i = 0; i < 200; ++i) {
            const auto d = static_cast<double>(backoff_delay(policy, attempt).count());
            lowest = std::min(lowest, d);
            highest = std::max(highest, d);
        }
        EXPECT_GE(lowest, full * 0.5 - 1) << attempt;
        EXPECT_LE(highest, full) << attempt;
        EXPECT_GT(highest - lowest, full * 0.2) << attempt;  // jittered, not all at once
    }
}

TEST(JobStates, RoundTripTheirNames) {
    for (const auto s : {JobState::Pending, JobState::Running, JobState::Done, JobState::Failed, JobState::Cancelled})
        EXPECT_EQ(job_state_from_string(to_string(s)), s);
    EXPECT_FALSE(job_state_from_string("lost"));
}

TEST(RedactUrl, HidesThePasswordOnly) {
    EXPECT_EQ(redact_url("postgresql://user:pw@host:5432/db"), "postgresql://user:***@host:5432/db");
    EXPECT_EQ(redact_url("postgresql://user@host/db"), "postgresql://user@host/db");
    EXPECT_EQ(redact_url("postgresql:///db?host=/tmp/x"), "postgresql:///db?host=/tmp/x");
    EXPECT_EQ(redact_url("jobs.db"), "jobs.db");
    EXPECT_EQ(redact_url("postgresql:///db?user=u&password=pw&host=/tmp"), "postgresql:///db?user=u&password=***&host=/tmp");
}
