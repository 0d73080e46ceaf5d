// `dramaloc demo`: what a newcomer runs first. It generates a sample episode (two
// characters, quiet music, burned-in Chinese) and localizes it en → es, fr with the
// embedded engines, then prints where everything went.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/episodes.hpp"
#include "cli/progress.hpp"
#include "pipeline/localize.hpp"
#include "sample/sample.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;

namespace {

void run_demo(const fs::path& out_dir, int seconds, bool quiet) {
    const fs::path video = out_dir / "sample.mp4";
    sample::SampleOptions sample_options;
    sample_options.seconds = seconds;
    sample_options.hardsubs_language = "zh";
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
    g_command_exit_code = localize_episodes({video.string()}, options, quiet, {});
    std::cout << "Try: dramaloc probe " << (out_dir / "sample" / "sample.localized.mp4").string() << "\n"
              << "     dramaloc subs check " << (out_dir / "sample" / "sample.es.srt").string() << " --lang es\n";
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
