#pragma once
// A series project file (series.toml): the episodes, the languages and everything else the
// series shares — synopsis, glossary, cast, engines, fit and mix settings — in one place:
//
//   [series]
//   title = "The Heiress Returns"
//   from = "zh"
//   to = ["en", "es", "ar", "th"]
//   synopsis = "Lin Xia comes back to the family that disowned her …"
//   episodes = ["episodes/ep*.mp4"]   # files or patterns (* ? [..] in the file name), in order
//   out = "out"                       # relative to this file; the default
//   source = "auto"                   # as localize --source ("srt:scripts/{episode}.srt"); also
//   policy = ["policy/*.toml"]        # content review packs (docs/content-review.md)
//   burn_in = ["en"]                  # subtitle_band, remove_hardsubs, burn_in, background, store
//
// plus any table of a --config file ([glossary], [cast], [engines.*], [fit], …). Relative
// paths are taken from the file's folder. docs/configuration.md, "Series files".
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/localize.hpp"

namespace dramaloc::series {

struct SeriesProject {
    std::filesystem::path file;
    std::vector<std::filesystem::path> episodes;  // in series order; patterns expanded, sorted naturally
    std::vector<std::filesystem::path> episode_patterns;  // the `episodes` entries that are patterns, absolute
    pipeline::LocalizeOptions options;                      // everything the file sets (out_dir resolved)
    std::vector<Character> cast;                  // the file's [cast.*], before anything is learnt
    // source = "srt:scripts/{episode}.srt" and background = "stems/{episode}.wav": one file
    // per episode, "{episode}" standing for its name (empty when not set).
    std::string import_pattern, background_pattern;
    // policy = ["policy/*.toml"]: the content review's packs (docs/content-review.md), patterns
    // expanded, in name order.
    std::vector<std::filesystem::path> policy_packs;
};

// Sets the options of episode `name` that differ per episode (the {episode} paths).
void apply_episode_paths(const SeriesProject& project, const std::string& name, pipeline::LocalizeOptions& options);

// Throws ConfigError naming the file and key (a missing [series] table, `from` or
// `episodes`, a pattern matching nothing, two episodes with the same name), InputError when
// the file cannot be read.
SeriesProject load_series_project(const std::filesystem::path& file);

// Natural order: "ep2" before "ep10". Exposed for tests.
bool natural_less(const std::string& a, const std::string& b);

}  // namespace dramaloc::series
