// The delivery log (what was delivered where) on both databases, the same tests: SQLite in a
// temporary file and PostgreSQL in a throwaway cluster started by the test. It lives in the
// series' store beside the job store.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "delivery/delivery_log.hpp"
#include "jobs/job_store.hpp"
#include "support/postgres_server.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::delivery;

namespace {

class DeliveryLogTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override { url_ = test::store_url_for(GetParam(), dir_.path()); }
    static DeliveryRecord one(const std::string& series, const std::string& episode, const std::string& language,
                              const std::string& profile, const std::string& to) {
        return {series, episode, language, profile, 1, to, to + "/" + episode + "." + language + ".manifest.json", std::string(64, 'a'),
                "ana", "2026-12-07T10:00:00Z", 1'800'000'000'000};
    }
    test::TempDir dir_;
    std::string url_;
};

TEST_P(DeliveryLogTest, DeliveriesAreListedPerSeriesAndARedeliveryReplacesItsRow) {
    // In the store the job store made (one --db for both).
    jobs::open_job_store(url_);
    auto log = open_delivery_log(url_);
    EXPECT_TRUE(log->list("").empty());
    log->record(one("/s/a.toml", "ep2", "es", "phone-app", "/d"));
    log->record(one("/s/a.toml", "ep1", "es", "phone-app", "/d"));
    log->record(one("/s/a.toml", "ep1", "es", "ott", "s3://b/p"));
    log->record(one("/s/b.toml", "ep1", "fr", "phone-app", "/d"));
    const auto a = log->list("/s/a.toml");
    ASSERT_EQ(a.size(), 3u);
    EXPECT_EQ(a[0].episode + a[0].profile, "ep1ott");
    EXPECT_EQ(a[1].episode + a[1].profile, "ep1phone-app");
    EXPECT_EQ(a[2].episode, "ep2");
    EXPECT_EQ(a[0].destination, "s3://b/p");
    EXPECT_EQ(a[0].approved_by, "ana");
    EXPECT_EQ(a[0].delivered_ms, 1'800'000'000'000);
    EXPECT_EQ(log->list("").size(), 4u);

    // The same version, profile and destination delivered again: one row, the newer one.
    DeliveryRecord again = one("/s/a.toml", "ep1", "es", "phone-app", "/d");
    again.profile_version = 2;
    again.approved_by = "ben";
    log->record(again);
    // Another connection (another process) sees it.
    const auto seen = open_delivery_log(url_)->list("/s/a.toml");
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[1].profile_version, 2);
    EXPECT_EQ(seen[1].approved_by, "ben");
}

TEST_P(DeliveryLogTest, AStoreThatCannotBeOpenedIsOneClearError) {
    const std::string bad = GetParam() == "sqlite" ? "sqlite:" + (dir_.path() / "no" / "such" / "store.db").string()
                                                   : "postgresql://nobody@127.0.0.1:1/none";
    try {
        open_delivery_log(bad)->list("");
        FAIL() << "opened " << bad;
    } catch (const Error& e) {
        EXPECT_EQ(test::count_lines(std::string(e.what()) + "\n"), 1) << e.what();
        EXPECT_NE(std::string(e.what()).find("delivery log"), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryLogTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
