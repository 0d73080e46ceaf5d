// `dramaloc run SERIES.toml`: every episode of a series file (pipeline/series_project.hpp),
// in series order, with the characters kept in OUT/characters.json between runs.
#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/episodes.hpp"
#include "core/error.hpp"
#include "pipeline/character_registry.hpp"
#include "pipeline/series_project.hpp"

namespace dramaloc::cli {

void register_run_command(CLI::App& app) {
    struct Args {
        std::string series, out, store;
        std::vector<std::string> only;
        int jobs = 0;
        bool quiet = false;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("run", "Localize every episode of a series file (series.toml)");
    cmd->add_option("SERIES", a->series, "series file: episodes, languages, glossary, cast, engines (docs/configuration.md)")->required();
    cmd->add_option("--episode,-e", a->only, "only these episodes (file names without extension); repeatable");
    cmd->add_option("--out", a->out, "output folder (default: [series] out, relative to the series file)");
    cmd->add_option("--store", a->store, "artifact store folder (default OUT/.dramaloc-store)");
    cmd->add_option("--jobs,-j", a->jobs, "parallel workers (default: number of cores)")->check(CLI::Range(0, 1024));
    cmd->add_flag("--quiet,-q", a->quiet, "no progress output");
    cmd->callback([a] {
        auto project = pipeline::load_series_project(a->series);
        auto& options = project.options;
        if (!a->out.empty()) options.out_dir = a->out;
        if (!a->store.empty()) options.store_dir = a->store;
        options.jobs = a->jobs;

        std::vector<std::string> order, episodes;
        for (const auto& e : project.episodes) order.push_back(e.stem().string());
        for (const auto& wanted : a->only)
            if (std::find(order.begin(), order.end(), wanted) == order.end()) {
                std::string names;
                for (std::size_t i = 0; i < order.size() && i < 5; ++i) names += (i ? ", " : "") + order[i];
                throw CLI::ValidationError("--episode", wanted + ": the series has no such episode (it has " + names +
                                                            (order.size() > 5 ? ", …" : "") + ")");
            }
        for (const auto& e : project.episodes)
            if (a->only.empty() || std::find(a->only.begin(), a->only.end(), e.stem().string()) != a->only.end())
                episodes.push_back(e.string());

        // Who speaks is series-wide and outlives the run: each episode starts from the characters
        // first heard before it, whether or not those episodes ran this time.
        pipeline::CharacterRegistry registry(options.out_dir);
        EpisodeHooks hooks;
        hooks.before = [&](const std::string& name, pipeline::LocalizeOptions& episode) {
            episode.known_characters = registry.known_before(name, order, project.cast);
            pipeline::apply_episode_paths(project, name, episode);
            pipeline::validate_episode_files(episode);  // its own script and stem, before its work
        };
        hooks.after = [&](const std::string& name, pipeline::LocalizeOptions&, const pipeline::EpisodeOutputs& result) {
            for (const auto& warning : registry.record(name, order, result.characters)) std::cerr << "dramaloc: warning: " << warning << "\n";
        };
        // Engines, pairs and voices fail before any work; each episode's own script and stem
        // before that episode's work (hooks.before).
        pipeline::validate(options, /*episode_files=*/false);
        g_command_exit_code = localize_episodes(episodes, options, a->quiet, hooks);
        if (!a->quiet) std::cerr << "characters: " << registry.entries().size() << " in " << registry.file().string() << "\n";
    });
}

}  // namespace dramaloc::cli
