// The declared stage graph (pipeline/stage_graph): well formed, enforced by run_stage, and
// shown as it is in docs/design.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "store/artifact_store.hpp"
#include "pipeline/run_log.hpp"
#include "pipeline/stage.hpp"
#include "pipeline/stage_graph.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::pipeline;
using namespace dramaloc::store;
using namespace dramaloc::test;
namespace fs = std::filesystem;

namespace {

bool outside_input(std::string_view input) {
    static const std::set<std::string_view> known = {"episode video", "script file", "edits", "background stem"};
    return known.count(input) > 0 || input.rfind("config: ", 0) == 0;
}

}  // namespace

TEST(StageGraph, EveryStageReadsOnlyStagesDeclaredBeforeItOrOutsideInputs) {
    std::set<std::string_view> seen;
    for (const auto& s : stage_graph()) {
        EXPECT_FALSE(seen.count(s.name)) << s.name << " is declared twice";
        EXPECT_GE(s.version, 1) << s.name;
        EXPECT_FALSE(s.does.empty()) << s.name;
        for (const auto& input : s.inputs) {
            if (find_stage(input)) EXPECT_TRUE(seen.count(input)) << s.name << " reads " << input << ", declared after it";
            else EXPECT_TRUE(outside_input(input)) << s.name << " reads \"" << input << "\": neither a stage nor an outside input";
        }
        seen.insert(s.name);
    }
}

TEST(StageGraph, JobsComeInTheFactorysOrderAndEveryStageIdIsDeclared) {
    int phase = 0;
    for (const auto& s : stage_graph()) {
        EXPECT_GE(static_cast<int>(s.phase), phase) << s.name << " runs in an earlier job than the stage before it";
        phase = static_cast<int>(s.phase);
    }
    for (int id = 0; id <= static_cast<int>(StageId::Mux); ++id) EXPECT_EQ(static_cast<int>(stage(static_cast<StageId>(id)).id), id);
}

TEST(StageGraph, EveryStageIsReadByALaterStageOrStoresAFinalOutput) {
    for (const auto& s : stage_graph()) {
        bool read = false;
        for (const auto& other : stage_graph())
            for (const auto& input : other.inputs) read = read || input == s.name;
        const bool final_output = s.id == StageId::Mux || s.id == StageId::BurnIn;
        EXPECT_TRUE(read || final_output) << s.name << " is neither read nor a final output";
    }
}

TEST(StageGraph, KeysDependOnTheStageAndItsInputs) {
    // The same stage and inputs give the same key; another stage or another input another.
    EXPECT_EQ(stage_key(StageId::Mix, "e", {"a"}, "p"), stage_key(StageId::Mix, "e", {"a"}, "p"));
    EXPECT_NE(stage_key(StageId::Mix, "e", {"a"}, "p"), stage_key(StageId::EncodeDub, "e", {"a"}, "p"));
    EXPECT_NE(stage_key(StageId::Mix, "e", {"a"}, "p"), stage_key(StageId::Mix, "e", {"b"}, "p"));
}

TEST(StageGraph, RunStageRefusesAnArtifactWithoutItsDeclaredOutputsAndStoresNothing) {
    TempDir dir;
    ArtifactStore store(dir / "store");
    RunLog log;
    FileHashCache hashes(dir / "hashes");
    StageContext context{store, log, hashes, {}};
    const std::string key = stage_key(StageId::Fit, "test", {"x"});
    try {
        run_stage(context, {StageId::Fit, "es/line 1", "test", key}, [](const fs::path& d) { std::ofstream(d / "fitted.wav") << "x"; });
        FAIL() << "an artifact without fit.json was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::Internal);
        EXPECT_NE(std::string(e.what()).find("fit.json"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(store.find(key));
    EXPECT_EQ(log.records().size(), 0u);

    // Optional outputs (burn-in's removal.json) may be missing; required ones are there.
    const std::string burn = stage_key(StageId::BurnIn, "test", {"x"});
    const fs::path made = run_stage(context, {StageId::BurnIn, "es", "test", burn}, [](const fs::path& d) {
        std::ofstream(d / "burned.mp4") << "x";
        std::ofstream(d / "drawn.json") << "null";
    });
    EXPECT_TRUE(fs::exists(made / "burned.mp4"));
    ASSERT_EQ(log.records().size(), 1u);
    EXPECT_EQ(log.records()[0].stage, "burn-in");
}

TEST(StageGraph, DesignDocShowsTheGraphAsDeclared) {
    std::ifstream in(source_dir() / "docs" / "design.md");
    ASSERT_TRUE(in) << "docs/design.md";
    std::stringstream doc;
    doc << in.rdbuf();
    EXPECT_NE(doc.str().find(stage_graph_text()), std::string::npos)
        << "docs/design.md does not show the stage graph as `dramaloc stages` prints it; paste its output:\n"
        << stage_graph_text();
}

namespace {

// Steps that record their stage's name, for every declared stage of `phases`.
StageSteps recording_steps(std::initializer_list<StagePhase> phases, std::vector<std::string>& ran, std::mutex& mutex,
                           std::map<std::string, std::set<std::size_t>>& lines_seen) {
    StageSteps steps;
    for (const auto& decl : stage_graph()) {
        if (std::find(phases.begin(), phases.end(), decl.phase) == phases.end()) continue;
        const std::string name(decl.name);
        if (decl.scope == StageScope::Line)
            steps[decl.id].per_line = [&, name](std::size_t line) {
                std::lock_guard lock(mutex);
                if (lines_seen[name].insert(line).second && line == 0) ran.push_back(name);
            };
        else
            steps[decl.id].run = [&, name] { ran.push_back(name); };
    }
    return steps;
}

}  // namespace

TEST(StageGraph, AWalkRunsEachDeclaredStageOnceInTheDeclaredOrderAndLineStagesForEveryLine) {
    std::vector<std::string> ran;
    std::mutex mutex;
    std::map<std::string, std::set<std::size_t>> lines_seen;
    run_stages({StagePhase::Language}, recording_steps({StagePhase::Language}, ran, mutex, lines_seen), 5, 3);
    std::vector<std::string> declared;
    for (const auto& decl : stage_graph())
        if (decl.phase == StagePhase::Language) declared.push_back(std::string(decl.name));
    ASSERT_FALSE(declared.empty());
    // Line stages run interleaved over lines: each one is seen for every line, and line 0 sees
    // them in order, so the first sight of each keeps the declared order.
    EXPECT_EQ(ran, declared);
    for (const auto* line_stage : {"synthesize", "fit", "shorten"})
        EXPECT_EQ(lines_seen[line_stage], (std::set<std::size_t>{0, 1, 2, 3, 4})) << line_stage;

    ran.clear();
    run_stages({StagePhase::Source, StagePhase::Characters},
               recording_steps({StagePhase::Source, StagePhase::Characters}, ran, mutex, lines_seen));
    ASSERT_GE(ran.size(), 3u);
    EXPECT_EQ(ran.front(), "hardsubs");
    EXPECT_LT(std::find(ran.begin(), ran.end(), "series-speakers"), std::find(ran.begin(), ran.end(), "voice-reference"))
        << "voice references are cut on the series' speaker ids";
}

TEST(StageGraph, AWalkWithoutAStepForADeclaredStageOrWithAStrayStepRunsNothing) {
    std::vector<std::string> ran;
    std::mutex mutex;
    std::map<std::string, std::set<std::size_t>> lines_seen;
    StageSteps steps = recording_steps({StagePhase::Episode}, ran, mutex, lines_seen);
    steps.erase(StageId::BurnIn);
    try {
        run_stages({StagePhase::Episode}, steps);
        FAIL() << "a declared stage without its step ran";
    } catch (const InternalError& e) {
        EXPECT_NE(std::string(e.what()).find("burn-in"), std::string::npos) << e.what();
    }
    steps = recording_steps({StagePhase::Episode}, ran, mutex, lines_seen);
    steps[StageId::Translate].run = [] {};
    EXPECT_THROW(run_stages({StagePhase::Episode}, steps), InternalError) << "translate is not an episode stage";
    StageSteps line_step_missing = recording_steps({StagePhase::Language}, ran, mutex, lines_seen);
    line_step_missing[StageId::Fit].per_line = nullptr;
    EXPECT_THROW(run_stages({StagePhase::Language}, line_step_missing, 2), InternalError);
    EXPECT_TRUE(ran.empty()) << "checked before any step runs";
}
