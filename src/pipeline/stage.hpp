#pragma once
// Running one stage: compute its key, reuse the artifact when the store has it, else
// produce it and record the time. Stages are pure functions of what goes into the key.
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/hash.hpp"
#include "pipeline/artifact_store.hpp"
#include "pipeline/run_log.hpp"

namespace dramaloc::pipeline {

struct StageContext {
    ArtifactStore& store;
    RunLog& log;
    FileHashCache& hashes;  // input files' content hashes, kept between runs with the store
};

// hash(stage, version, engine identity, input keys…, parameters)
std::string stage_key(std::string_view stage, int version, std::string_view engine,
                      std::initializer_list<std::string_view> inputs, std::string_view parameters = {});

struct StageSpec {
    std::string stage;
    std::string scope;
    std::string engine;  // identity for the manifest (already part of the key)
    std::string key;
};

std::filesystem::path run_stage(StageContext& context, const StageSpec& spec,
                                const std::function<void(const std::filesystem::path&)>& produce);

}  // namespace dramaloc::pipeline
