#include <iostream>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "sample/sample.hpp"

namespace dramaloc::cli {

void register_sample_commands(CLI::App& app) {
    auto* sample_cmd = app.add_subcommand("sample", "Generate test episodes with a known script");
    sample_cmd->require_subcommand(1);

    struct MakeArgs {
        std::string out, hardsubs, background = "plain", lines = "standard", music = "-15";
        int seconds = 30, keyframes = 0;
        std::uint64_t seed = 1;
        bool quiet = false;
    };
    auto a = std::make_shared<MakeArgs>();
    auto* make = sample_cmd->add_subcommand(
        "make", "Write a 1080x1920 30 fps episode OUT.mp4 (two espeak-ng voices over quiet music) and its reference OUT.json");
    make->add_option("OUT", a->out, "output .mp4")->required();
    make->add_option("--seconds", a->seconds, "length in seconds (5 to 3600)")->capture_default_str();
    make->add_option("--hardsubs", a->hardsubs, "burn in subtitles in this language (zh)");
    make->add_option("--background", a->background, "plain, striped or busy")->capture_default_str();
    make->add_option("--seed", a->seed, "seed for pauses, music and textures")->capture_default_str();
    make->add_option("--lines", a->lines, "standard, or short (3-8 Chinese characters a line)")->capture_default_str();
    make->add_option("--music", a->music, "music level in dB relative to the voices, or none")->capture_default_str();
    make->add_option("--keyframes", a->keyframes, "seconds between key frames (0: every 2 s and at scene cuts)")->capture_default_str();
    make->add_flag("--quiet,-q", a->quiet, "no progress output");
    make->callback([a] {
        sample::SampleOptions options;
        options.seconds = a->seconds;
        if (!a->hardsubs.empty()) options.hardsubs_language = a->hardsubs;
        const auto background = sample::background_from_string(a->background);
        if (!background) throw UsageError("unknown --background \"" + a->background + "\"; use plain, striped or busy");
        options.background = *background;
        options.seed = a->seed;
        const auto scene = sample::scene_from_string(a->lines);
        if (!scene) throw UsageError("unknown --lines \"" + a->lines + "\"; use standard or short");
        options.scene = *scene;
        if (a->music == "none") {
            options.music_db.reset();
        } else {
            try {
                std::size_t used = 0;
                options.music_db = std::stod(a->music, &used);
                if (used != a->music.size()) throw std::invalid_argument(a->music);
            } catch (const std::logic_error&) {
                throw UsageError("--music \"" + a->music + "\": give a level in dB relative to the voices (e.g. -20), or none");
            }
        }
        options.keyframe_interval_s = a->keyframes;
        option_value([&] { sample::validate_options(options); });
        Progress progress("sample " + std::filesystem::path(a->out).filename().string(), a->quiet);
        options.on_progress = [&progress](double f) { progress.update(f); };
        const auto result = sample::make_sample(a->out, options);
        progress.done();
        std::cout << result.video.string() << "\n" << result.reference.string() << "\n";
    });
}

}  // namespace dramaloc::cli
