// The production board made from a series' outputs as the pipeline, the review station and
// the factory leave them (manifests, reviews.json, edits.json, content review reports), with
// the job store's jobs, the delivery log and assignments given as they would be read.
#include <gtest/gtest.h>

#include <fstream>

#include "board/assignments.hpp"
#include "board/board.hpp"
#include "core/error.hpp"
#include "core/time.hpp"
#include "policy/content_review.hpp"
#include "series/edit_log.hpp"
#include "series/project.hpp"
#include "series/review_log.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::board;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;
// 2026-12-07T12:00:00Z
constexpr std::int64_t kNow = 1796644800000;

class BoardTest : public ::testing::Test {
protected:
    void SetUp() override {
        project_.file = dir_.path() / "drama.toml";
        for (const char* e : {"ep1", "ep2", "ep3", "ep10"}) project_.episodes.push_back(dir_.path() / (std::string(e) + ".mp4"));
        project_.options.languages.targets = {"es", "fr"};
        project_.options.run.out_dir = dir_.path() / "out";
        in_.series_id = "drama";
        in_.now_ms = kNow;
    }
    fs::path out() const { return project_.options.run.out_dir; }
    // The episode published in `languages`, two lines each at revision 0.
    void publish(const std::string& episode, const std::vector<std::string>& languages, const std::map<std::string, std::string>& failed = {}) {
        pipeline::Manifest m;
        m.episode = episode + ".mp4";
        m.target_languages = project_.options.languages.targets;
        m.failed_languages = failed;
        for (const auto& l : languages) {
            pipeline::PublishedScript s;
            s.file = episode + "." + l + ".script.json";
            s.lines = {{1, 0, 1000, "C1", "uno", "uno", "一", 0}, {2, 1000, 2000, "C1", "dos", "dos", "二", 0}};
            m.scripts[l] = s;
        }
        fs::create_directories(out() / episode);
        pipeline::write_manifest(out() / episode, m);
    }
    void edit(const std::string& episode, const std::string& language, int line, const std::string& who, const std::string& when) {
        series::LineEdit e;
        e.episode = episode;
        e.language = language;
        e.line = line;
        e.after = "nuevo";
        e.who = who;
        e.when = when;
        e.via = "api";
        series::EditLog(out()).append({e});
    }
    void review(const std::string& episode, const std::string& language, const std::string& decision, const std::string& who,
                const std::string& when, std::map<int, int> revisions = {{1, 0}, {2, 0}}) {
        ASSERT_TRUE(series::record_review(out(), {episode, language, decision, "", who, when, revisions}).recorded);
    }
    const Cell& cell(const Board& b, const std::string& episode, const std::string& language) {
        for (const auto& c : b.cells)
            if (c.episode == episode && c.language == language) return c;
        throw std::runtime_error("no cell " + episode + " " + language);
    }
    test::TempDir dir_;
    series::SeriesProject project_;
    BoardInputs in_;
};

TEST_F(BoardTest, EachVersionShowsWhereItStandsFromTheOutputsJobsAndDeliveries) {
    fs::create_directories(out());
    publish("ep1", {"es", "fr"});
    publish("ep2", {"es"}, {{"fr", "translate: the model server did not answer"}});
    publish("ep3", {"es", "fr"});
    // ep1 es approved and delivered; ep1 fr approved, then edited (withdrawn); ep2 es rejected;
    // ep3 es edited, never reviewed; ep3 fr approved after an edit not rendered yet.
    review("ep1", "es", "approved", "ana", "2026-12-06T10:00:00Z");
    review("ep1", "fr", "approved", "ana", "2026-12-06T11:00:00Z");
    edit("ep1", "fr", 2, "carl", "2026-12-06T12:00:00Z");
    review("ep2", "es", "rejected", "bo", "2026-12-06T13:00:00Z");
    edit("ep3", "es", 1, "ana", "2026-12-06T14:00:00Z");
    edit("ep3", "fr", 1, "ana", "2026-12-06T15:00:00Z");
    review("ep3", "fr", "approved", "bo", "2026-12-06T16:00:00Z", {{1, 1}, {2, 0}});
    in_.deliveries.push_back({"drama", "ep1", "es", "phone-app", 1, "/d", "/d/m.json", "", "ana", "2026-12-06T10:00:00Z", kNow});
    // ep10: its source job is running on a worker.
    jobs::JobStatus running;
    running.episode = "ep10";
    running.state = jobs::JobState::Running;
    running.worker = "host-a";
    in_.jobs.push_back(running);

    const Board b = make_board(project_, in_);
    ASSERT_EQ(b.cells.size(), 8u);
    EXPECT_EQ(b.episodes, (std::vector<std::string>{"ep1", "ep2", "ep3", "ep10"}));
    EXPECT_EQ(cell(b, "ep1", "es").state, State::Delivered);
    EXPECT_EQ(cell(b, "ep1", "es").profiles, std::vector<std::string>{"phone-app"});
    EXPECT_EQ(cell(b, "ep1", "fr").state, State::InReview);
    EXPECT_EQ(cell(b, "ep1", "fr").who, "carl");  // the edit that withdrew the approval
    EXPECT_EQ(cell(b, "ep2", "es").state, State::InReview);
    EXPECT_EQ(cell(b, "ep2", "es").who, "bo");
    EXPECT_EQ(cell(b, "ep2", "fr").state, State::Failed);
    EXPECT_TRUE(cell(b, "ep2", "fr").blocked);
    EXPECT_NE(cell(b, "ep2", "fr").why.find("model server"), std::string::npos);
    EXPECT_EQ(cell(b, "ep3", "es").state, State::InReview);
    EXPECT_EQ(cell(b, "ep3", "es").who, "ana");
    EXPECT_EQ(cell(b, "ep3", "fr").state, State::Approved);
    EXPECT_NE(cell(b, "ep3", "fr").why.find("not rendered"), std::string::npos);
    EXPECT_EQ(cell(b, "ep10", "es").state, State::Rendering);
    EXPECT_EQ(cell(b, "ep10", "es").who, "host-a");
    EXPECT_EQ(b.counts.at("in-review"), 3);
    EXPECT_EQ(b.remaining, 7);
    // Three versions first approved in the last 7 days (ep1 fr's approval counts though it was
    // withdrawn): 3/7 a day; 7 to go: 17 days.
    EXPECT_NEAR(b.approvals_per_day, 3.0 / 7, 1e-9);
    EXPECT_EQ(b.finish, utc_date(kNow + 17 * kDay));

    // Delivered with an earlier approval than the one that stands: cleared, not delivered.
    in_.deliveries[0].approved_at = "2026-12-01T00:00:00Z";
    EXPECT_EQ(cell(make_board(project_, in_), "ep1", "es").state, State::Cleared);
}

TEST_F(BoardTest, AnUnresolvedBlockFindingBlocksAnApprovedVersionUntilItIsResolved) {
    fs::create_directories(out());
    publish("ep1", {"es", "fr"});
    review("ep1", "es", "approved", "ana", "2026-12-06T10:00:00Z");
    {
        std::ofstream report(out() / "ep1" / "ep1.content-review.json");
        report << R"({"findings": [{"id": "f1", "severity": "block", "language": "es", "resolution": null},
                                    {"id": "f2", "severity": "warn", "language": "fr", "resolution": null}]})";
    }
    Board b = make_board(project_, in_);
    EXPECT_EQ(cell(b, "ep1", "es").state, State::Approved);
    EXPECT_TRUE(cell(b, "ep1", "es").blocked);
    EXPECT_FALSE(cell(b, "ep1", "fr").blocked);  // a warning blocks nothing
    EXPECT_EQ(cell(b, "ep1", "fr").state, State::ToReview);
    EXPECT_EQ(b.blocked, 1);

    policy::Resolution r;
    r.finding = "f1";
    r.episode = "ep1";
    r.language = "es";
    r.line = 1;
    r.decision = "accepted";
    r.reason = "fine for this market";
    r.who = "bo";
    r.when = "2026-12-06T11:00:00Z";
    policy::record_resolution(out(), r);
    b = make_board(project_, in_);
    EXPECT_EQ(cell(b, "ep1", "es").state, State::Cleared);
    EXPECT_FALSE(cell(b, "ep1", "es").blocked);

    std::ofstream(out() / "ep1" / "ep1.content-review.json") << "{not json";
    try {
        make_board(project_, in_);
        FAIL() << "a damaged report was read";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("ep1.content-review.json"), std::string::npos) << e.what();
    }
}

TEST_F(BoardTest, AssignmentsNameWhoHoldsAVersionAndAPassedDueDateMakesItLate) {
    fs::create_directories(out());
    publish("ep1", {"es", "fr"});
    publish("ep2", {"es", "fr"});
    review("ep2", "es", "approved", "ana", "2026-12-06T10:00:00Z");
    Assignment a;
    a.id = 1;
    a.series = "drama";
    a.language = "es";
    a.first_episode = "ep1";
    a.last_episode = "ep3";
    a.linguist = "ana";
    a.reviewer = "bo";
    a.due = "2026-12-06";  // yesterday
    Assignment later = a;  // ep10 is after ep3 in natural order: not covered
    later.id = 2;
    later.language = "fr";
    later.linguist = "carl";
    later.due = "2026-12-31";
    in_.assignments = {a, later};
    const Board b = make_board(project_, in_);
    EXPECT_EQ(cell(b, "ep1", "es").linguist, "ana");
    EXPECT_TRUE(cell(b, "ep1", "es").late);
    EXPECT_FALSE(cell(b, "ep2", "es").late);  // cleared in time
    EXPECT_EQ(cell(b, "ep10", "es").assignment, 0);
    EXPECT_FALSE(cell(b, "ep1", "fr").late);
    EXPECT_EQ(b.late, 2);  // ep1 and ep3 in Spanish

    BoardFilter mine;
    mine.person = "carl";
    EXPECT_TRUE(mine.matches(cell(b, "ep1", "fr")));
    EXPECT_FALSE(mine.matches(cell(b, "ep1", "es")));
    BoardFilter bo_late;  // as the reviewer
    bo_late.person = "bo";
    bo_late.late = true;
    EXPECT_TRUE(bo_late.matches(cell(b, "ep1", "es")));
    EXPECT_FALSE(bo_late.matches(cell(b, "ep2", "es")));

    const std::string text = board_text(b, bo_late);
    EXPECT_NE(text.find("ep1     o!"), std::string::npos) << text;
    EXPECT_EQ(text.find("ep2 "), std::string::npos) << text;  // no late version of bo's there
    const auto j = board_json(b, BoardFilter{});
    EXPECT_EQ(j["versions"].size(), 8u);
    EXPECT_EQ(j["late"], 2);
}

TEST(BoardText, AHundredEpisodesInSixLanguagesFitATerminal) {
    Board b;
    b.series = b.title = "long";
    b.languages = {"en", "es", "ar", "th", "fr", "pt"};
    for (int e = 1; e <= 100; ++e) b.episodes.push_back("ep" + std::to_string(e));
    for (const auto& e : b.episodes)
        for (const auto& l : b.languages) {
            Cell c;
            c.episode = e;
            c.language = l;
            c.state = State::ToReview;
            b.cells.push_back(c);
        }
    const std::string text = board_text(b, {});
    std::size_t widest = 0, rows = 0, from = 0;
    for (std::size_t nl; (nl = text.find('\n', from)) != std::string::npos; from = nl + 1) {
        const std::string row = text.substr(from, nl - from);
        if (row.rfind("ep", 0) == 0 && row.rfind("episode", 0) != 0) {
            ++rows;
            widest = std::max(widest, row.size());
        }
    }
    EXPECT_EQ(rows, 100u);
    EXPECT_LE(widest, 40u);
}

TEST(Assignments, AreCheckedAgainstThePeopleAndTheSeries) {
    const std::vector<Person> people = {{"ana", {"es", "fr"}}, {"bo", {"es"}}};
    const std::vector<std::string> languages = {"es", "fr"}, episodes = {"ep1", "ep2", "ep10"};
    Assignment a;
    a.language = "es";
    a.first_episode = "ep2";
    a.last_episode = "ep10";
    a.linguist = "ana";
    a.reviewer = "bo";
    a.due = "2026-12-31";
    EXPECT_NO_THROW(check_assignment(a, people, languages, episodes));
    EXPECT_TRUE(a.covers("ep2") && a.covers("ep3") && a.covers("ep10"));
    EXPECT_FALSE(a.covers("ep1") || a.covers("ep11"));
    const auto refused = [&](Assignment x, const std::string& says) {
        try {
            check_assignment(x, people, languages, episodes);
            ADD_FAILURE() << "accepted; expected: " << says;
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
        }
    };
    Assignment x = a;
    x.linguist = "zoe";
    refused(x, "dramaloc people add \"zoe\"");
    x = a;
    x.linguist = "bo";
    x.language = "fr";
    refused(x, "bo does not work in fr");
    x = a;
    x.language = "de";
    refused(x, "no language \"de\"");
    x = a;
    x.first_episode = "ep7";
    refused(x, "no episode \"ep7\"");
    x = a;
    std::swap(x.first_episode, x.last_episode);
    refused(x, "run backwards");
    x = a;
    x.due = "2026-02-30";
    refused(x, "YYYY-MM-DD");
    x.due = "31.12.2026";
    refused(x, "YYYY-MM-DD");
    EXPECT_EQ(episode_range("ep01..ep20"), (std::pair<std::string, std::string>{"ep01", "ep20"}));
    EXPECT_EQ(episode_range("ep5"), (std::pair<std::string, std::string>{"ep5", "ep5"}));
    EXPECT_THROW(episode_range("ep1.."), UsageError);
    EXPECT_EQ(split_list(" es, fr,,th "), (std::vector<std::string>{"es", "fr", "th"}));
}

}  // namespace
