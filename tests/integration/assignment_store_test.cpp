// People and assignments (the production board) on both databases, the same tests: SQLite in
// a temporary file and PostgreSQL in a throwaway cluster started by the test. They live in
// the series' store beside the job store.
#include <gtest/gtest.h>

#include <string>

#include "board/assignments.hpp"
#include "core/error.hpp"
#include "jobs/job_store.hpp"
#include "support/postgres_server.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::board;

namespace {

class AssignmentStoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override { url_ = test::store_url_for(GetParam(), dir_.path()); }
    static Assignment one(const std::string& series, const std::string& language, const std::string& linguist) {
        Assignment a;
        a.series = series;
        a.language = language;
        a.first_episode = "ep1";
        a.last_episode = "ep20";
        a.linguist = linguist;
        a.reviewer = "bo";
        a.due = "2026-12-20";
        return a;
    }
    test::TempDir dir_;
    std::string url_;
};

TEST_P(AssignmentStoreTest, PeopleAndAssignmentsAreKeptChangedAndRemoved) {
    jobs::open_job_store(url_);  // in the store the job store made (one --db for both)
    auto store = open_assignment_store(url_);
    EXPECT_TRUE(store->people().empty());
    store->put_person({"bo", {"es"}});
    store->put_person({"ana", {"es", "fr"}});
    store->put_person({"bo", {"es", "th"}});  // the same name again: their languages change
    auto people = store->people();
    ASSERT_EQ(people.size(), 2u);
    EXPECT_EQ(people[0].name, "ana");
    EXPECT_EQ(people[1].languages, (std::vector<std::string>{"es", "th"}));

    const Assignment a = store->add(one("/s/a.toml", "es", "ana"));
    const Assignment b = store->add(one("/s/a.toml", "fr", "ana"));
    store->add(one("/s/b.toml", "es", "bo"));
    EXPECT_GT(a.id, 0);
    EXPECT_GT(b.id, a.id);
    EXPECT_GT(a.updated_ms, 0);
    ASSERT_EQ(store->list("/s/a.toml").size(), 2u);
    EXPECT_EQ(store->list("").size(), 3u);

    Assignment changed = b;
    changed.due = "";
    changed.linguist = "bo";
    EXPECT_TRUE(store->update(changed));
    // Another connection (another process) sees it.
    const auto seen = open_assignment_store(url_)->find(b.id);
    ASSERT_TRUE(seen);
    EXPECT_EQ(seen->linguist, "bo");
    EXPECT_EQ(seen->due, "");
    EXPECT_EQ(seen->first_episode, "ep1");
    EXPECT_EQ(seen->last_episode, "ep20");

    EXPECT_TRUE(store->remove(a.id));
    EXPECT_FALSE(store->remove(a.id));
    EXPECT_FALSE(store->find(a.id));
    changed.id = 9999;
    EXPECT_FALSE(store->update(changed));
    EXPECT_TRUE(store->remove_person("ana"));
    EXPECT_FALSE(store->remove_person("ana"));
    EXPECT_EQ(store->people().size(), 1u);
}

TEST_P(AssignmentStoreTest, AStoreThatCannotBeOpenedIsOneClearError) {
    const std::string bad = GetParam() == "sqlite" ? "sqlite:" + (dir_.path() / "no" / "such" / "store.db").string()
                                                   : "postgresql://nobody@127.0.0.1:1/none";
    try {
        open_assignment_store(bad)->people();
        FAIL() << "opened " << bad;
    } catch (const Error& e) {
        EXPECT_EQ(test::count_lines(std::string(e.what()) + "\n"), 1) << e.what();
        EXPECT_NE(std::string(e.what()).find("assignment store"), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, AssignmentStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
