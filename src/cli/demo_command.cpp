// `dramaloc demo`: what a newcomer runs first. It generates a sample episode (two
// characters, quiet music, burned-in Chinese) and localizes it en → es, fr with the
// embedded engines, then prints where everything went.
#include <cstdio>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "cli/episodes.hpp"
#include "cli/progress.hpp"
#include "pipeline/localize.hpp"
#include "engines/asr_lines.hpp"
#include "sample/sample.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;

namespace {

// Joined text of lines in time order, for one word alignment over the episode.
std::string script_text(const std::vector<Line>& lines) {
    std::string text;
    for (const Line& l : lines) text += (text.empty() ? "" : " ") + l.text;
    return text;
}

void run_demo(const fs::path& out_dir, int seconds, bool quiet) {
    const fs::path video = out_dir / "sample.mp4";
    sample::SampleOptions sample_options;
    sample_options.seconds = seconds;
    sample_options.hardsubs_language = "zh";
    // The music well under the voices: the embedded recogniser (pocketsphinx) mishears much
    // more under louder music (bench/README.md), and a newcomer should see a translation of
    // what was said.
    sample_options.music_db = -25.0;
    option_value([&] { sample::validate_options(sample_options); });
    Progress progress("generating sample episode", quiet);
    sample_options.on_progress = [&progress](double f) { progress.update(f); };
    const auto sample = sample::make_sample(video, sample_options);
    progress.done();
    std::cout << "sample episode: " << sample.video.string() << " (reference script " << sample.reference.string() << ")\n";

    pipeline::LocalizeOptions options;
    options.source_language = "en";
    options.target_languages = {"es", "fr"};
    options.out_dir = out_dir;
    pipeline::validate(options);
    std::optional<pipeline::EpisodeOutputs> outputs;
    EpisodeHooks hooks;
    hooks.after = [&](const std::string&, pipeline::LocalizeOptions&, const pipeline::EpisodeOutputs& result) { outputs = result; };
    g_command_exit_code = localize_episodes({video.string()}, options, quiet, hooks);
    if (!outputs) return;  // the failure was reported

    // What it did: how well the speech was heard, what each language got, what to open.
    const auto errors = engines::count_word_errors(script_text(sample.contents.script.lines), script_text(outputs->source_script.lines));
    std::printf("\nThe demo heard %zu lines of English speech (word error rate %.0f %% against what the sample says; "
                "the embedded recogniser is small: model servers do better, docs/engines.md).\n",
                outputs->source_script.lines.size(), 100.0 * errors.rate());
    for (const auto& [language, qc] : outputs->languages)
        std::printf("  %s: %d lines translated, subtitled and dubbed\n", language.c_str(), qc.lines);
    const fs::path folder = outputs->folder;
    std::cout << "Open first:\n"
              << "  " << (folder / "sample.localized.mp4").string() << "   the video with a Spanish and a French dub and subtitle tracks\n"
              << "  " << (folder / "sample.es.srt").string() << "   the Spanish subtitles\n"
              << "  " << (folder / "qc.json").string() << "   what the quality checks found\n"
              << "Then try: dramaloc subs check " << (folder / "sample.es.srt").string() << " --lang es\n";
}

}  // namespace

void register_demo_command(CLI::App& app) {
    struct DemoArgs {
        std::string out = "demo-out";
        int seconds = 30;
        bool quiet = false;
    };
    auto a = std::make_shared<DemoArgs>();
    auto* cmd = app.add_subcommand("demo", "Generate a sample episode and localize it from English into Spanish and French");
    cmd->add_option("--out", a->out, "output folder")->capture_default_str();
    cmd->add_option("--seconds", a->seconds, "length of the sample episode")->capture_default_str();
    cmd->add_flag("--quiet,-q", a->quiet, "no progress output");
    cmd->callback([a] { run_demo(a->out, a->seconds, a->quiet); });
}

}  // namespace dramaloc::cli
