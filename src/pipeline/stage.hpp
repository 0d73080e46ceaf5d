#pragma once
// Running one stage: compute its key, reuse the artifact when the store has it, else
// produce it and record the time. Stages are pure functions of what goes into the key.
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "core/hash.hpp"
#include "store/artifact_store.hpp"
#include "pipeline/run_log.hpp"
#include "pipeline/stage_graph.hpp"

namespace dramaloc::pipeline {

struct StageContext {
    store::ArtifactStore& store;
    RunLog& log;
    FileHashCache& hashes;  // input files' content hashes, kept between runs with the store
    // Told a short description of what starts ("transcribe", "es: synthesize 12 lines").
    std::function<void(const std::string&)> on_stage;
    void announce(const std::string& what) const {
        if (on_stage) on_stage(what);
    }
};

// hash(stage name, stage version, engine identity, input keys…, parameters), the stage as
// declared in pipeline/stage_graph.
std::string stage_key(StageId stage, std::string_view engine, std::initializer_list<std::string_view> inputs,
                      std::string_view parameters = {});

struct StageSpec {
    StageId stage;
    std::string scope;   // what this run covers, for the run log: "episode", "es", "es/line 3"
    std::string engine;  // identity for the manifest (already part of the key)
    std::string key;
};

// The artifact of `spec.key`: from the store, or made by `produce` in a fresh folder. A
// made artifact missing one of the stage's declared outputs is refused (InternalError, the
// store keeps nothing), so a stage and its declaration cannot drift apart.
std::filesystem::path run_stage(StageContext& context, const StageSpec& spec,
                                const std::function<void(const std::filesystem::path&)>& produce);

// A stage's work in one walk of the graph (run_stages): `run` for a stage that runs once in
// the walk, `per_line` for a line-scoped one (called with each line's index). The work reads
// what earlier stages of the walk left in the walk's state and leaves its own there; a stage
// that does not apply to this run (transcribe when the lines are imported) does nothing.
struct StageStep {
    std::function<void()> run;
    std::function<void(std::size_t line)> per_line;
};
using StageSteps = std::map<StageId, StageStep>;

// Executes the declared stages of `phases` in the graph's order, each through its step.
// Consecutive line-scoped stages run as one group per line, the `lines` lines in parallel over
// `jobs` threads. A declared stage without a step, or a step for a stage the walk does not
// reach, is an InternalError: the code runs the graph as pipeline/stage_graph.cpp declares it.
void run_stages(std::initializer_list<StagePhase> phases, const StageSteps& steps, std::size_t lines = 0, int jobs = 1);

}  // namespace dramaloc::pipeline
