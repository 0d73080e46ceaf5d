#pragma once
// The episode loop shared by `localize` and `run` (after pipeline::validate): each episode in
// turn, progress on stderr, its files on stdout, and one episode's failure reported and
// counted without stopping the others. Returns the exit code (0, or 3 when an episode failed).
#include <functional>
#include <string>
#include <vector>

#include "pipeline/localize.hpp"

namespace dramaloc::cli {

struct EpisodeHooks {
    // Sets what the episode starts from (the characters known before it).
    std::function<void(const std::string& name, pipeline::LocalizeOptions&)> before;
    // Records what it found; `options` are those the next episode starts from.
    std::function<void(const std::string& name, pipeline::LocalizeOptions& options, const pipeline::EpisodeOutputs&)> after;
};

int localize_episodes(const std::vector<std::string>& episodes, pipeline::LocalizeOptions options, bool quiet,
                      const EpisodeHooks& hooks);

}  // namespace dramaloc::cli
