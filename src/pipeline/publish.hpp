#pragma once
// Publishing an episode: what its stages made, copied and written under OUT/NAME/ (subtitle
// files in every format, each language's script, dubs, videos, qc.json and manifest.json).
// Every file appears complete or not at all; a copy the last run made of the same artifact
// is not made again.
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "pipeline/episode_facts.hpp"
#include "pipeline/language_stages.hpp"
#include "pipeline/run_log.hpp"
#include "pipeline/source_stages.hpp"
#include "pipeline/stages/episode.hpp"

namespace dramaloc::pipeline {

struct EpisodeWork {  // what localize_episode's stages made of one episode
    std::filesystem::path episode;
    const EpisodeFacts& facts;
    const SourceAnalysis& source;
    const SubtitleTrack& source_subtitles;
    const std::vector<LanguageResult>& languages;
    const std::map<std::string, std::string>& failed_languages;
    std::filesystem::path localized;          // localized.mp4's artifact; empty when nothing was muxed
    const std::vector<BurnedVideo>& burned;
    const RunLog& log;
    std::chrono::steady_clock::time_point started;
};

// The language's script file in an episode's outputs (what the last publish wrote there is in
// its manifest: pipeline/manifest.hpp, published_scripts).
std::filesystem::path script_file(const std::filesystem::path& episode_folder, const std::string& episode, const std::string& language);

// Writes OUT/NAME/ (options.run.out_dir) and returns the files written, in a stable order.
std::vector<std::filesystem::path> publish_episode(const EpisodeWork& work, const LocalizeOptions& options);

}  // namespace dramaloc::pipeline
