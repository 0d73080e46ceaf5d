// `dramaloc localize EPISODE... --from en --to es,fr --out DIR`
#include <chrono>
#include <cstdio>
#include <map>
#include <iostream>
#include <mutex>

#include "cli/commands.hpp"
#include "cli/episodes.hpp"
#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/language.hpp"
#include "pipeline/localize.hpp"
#include "store/object_store.hpp"
#include "pipeline/settings_schema.hpp"

namespace dramaloc::cli {

namespace {

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::string item;
    for (char c : s + ",") {
        if (c == ',') {
            if (!item.empty()) out.push_back(item);
            item.clear();
        } else if (c != ' ') {
            item.push_back(c);
        }
    }
    return out;
}

}  // namespace

void register_localize_command(CLI::App& app) {
    struct Args {
        std::vector<std::string> episodes;
        std::string from = "en", to, burn_in, out = "out", config, background, store, source = "auto", band, artifacts, script;
        int jobs = 0;
        bool quiet = false, remove_hardsubs = false;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("localize", "Subtitle and dub episodes into other languages");
    cmd->add_option("EPISODE", a->episodes, "episode video files")->required();
    cmd->add_option("--from", a->from, "language spoken in the episodes")->capture_default_str();
    cmd->add_option("--to", a->to, "target languages, comma-separated (e.g. es,fr); without it, only the source script and its subtitles");
    cmd->add_option("--source", a->source, "where the source script comes from: auto, asr, ocr, both or srt:FILE")->capture_default_str();
    cmd->add_option("--script", a->script,
                    "the episode's own script (.srt .vtt .ass .ttml, or .txt with one subtitle a line) as the source: timed by the "
                    "burned-in subtitles or the speech when it has no times, compared with the burned-in subtitles (qc.json)");
    cmd->add_option("--subtitle-band", a->band, "rows y0:y1 of the burned-in subtitles (default: found automatically)");
    cmd->add_flag("--remove-hardsubs", a->remove_hardsubs, "remove the burned-in subtitles from the --burn-in videos first");
    cmd->add_option("--out", a->out, "output folder; each episode gets OUT/NAME/")->capture_default_str();
    cmd->add_option("--burn-in", a->burn_in, "also render NAME.LANG.burned.mp4 with these languages' subtitles burned in");
    cmd->add_option("--config", a->config, "TOML settings (docs/configuration.md)");
    cmd->add_option("--background", a->background, "music-and-effects stem (WAV) to mix under the dub instead of ducking");
    cmd->add_option("--store", a->store, "artifact store folder (default OUT/.dramaloc-store)");
    cmd->add_option("--artifacts", a->artifacts, "artifacts on an S3-compatible store: s3://BUCKET/PREFIX (docs/factory.md)");
    cmd->add_option("--jobs,-j", a->jobs, "parallel workers (default: number of cores)")->check(CLI::Range(0, 1024));
    cmd->add_flag("--quiet,-q", a->quiet, "no progress output");
    cmd->callback([a] {
        pipeline::LocalizeOptions options;
        if (!a->config.empty()) {
            auto config = std::make_shared<Config>(Config::load(a->config, pipeline::settings_file_schema()));
            pipeline::apply_config(options, *config);
            options.languages.config = config;
        }
        options.source.language = a->from;
        options.source.choice = option_value([&] { return pipeline::parse_source_choice(a->source); });
        if (!a->script.empty()) {
            if (options.source.choice.mode != pipeline::SourceMode::Auto) throw UsageError("--script and --source " + a->source + " both say where the source script comes from; give one");
            options.source.choice = pipeline::SourceChoice{pipeline::SourceMode::Import, a->script};
        }
        if (!a->band.empty()) options.source.subtitle_band = option_value([&] { return hardsubs::parse_band(a->band); });
        options.render.remove_hardsubs = a->remove_hardsubs;
        options.languages.targets = split_list(a->to);
        options.render.burn_in = split_list(a->burn_in);
        option_value([&] {  // language tags that are no language: a bad option value
            language_or_throw(options.source.language);
            for (const auto& l : options.languages.targets) language_or_throw(l);
            for (const auto& l : options.render.burn_in) language_or_throw(l);
        });
        options.run.out_dir = a->out;
        options.run.store_dir = a->store;
        options.run.artifacts_url = a->artifacts;
        if (!a->artifacts.empty()) store::s3_location_from_url(a->artifacts);  // keys and bucket, before any work
        if (!a->background.empty()) options.languages.background_stem = a->background;
        options.run.jobs = a->jobs;
        // Characters are series-wide: the next episodes know who was heard in the ones before.
        EpisodeHooks hooks;
        hooks.after = [](const std::string&, pipeline::LocalizeOptions& next, const pipeline::EpisodeOutputs& result) {
            pipeline::remember_characters(next.source.known_characters, result.characters);
        };
        pipeline::validate(options);  // a missing pair or voice fails before any work
        g_command_exit_code = localize_episodes(a->episodes, options, a->quiet, hooks);
    });
}

}  // namespace dramaloc::cli
