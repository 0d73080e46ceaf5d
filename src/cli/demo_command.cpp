// `dramaloc demo`: what a newcomer runs first. Today it generates a sample episode and
// writes its source subtitles in every format; the localization pipeline extends it.
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "sample/sample.hpp"
#include "subtitles/check.hpp"
#include "subtitles/format.hpp"
#include "subtitles/rules.hpp"
#include "subtitles/segment.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;

namespace {

void run_demo(const fs::path& out_dir, int seconds, bool quiet) {
    const fs::path video = out_dir / "sample.mp4";
    sample::SampleOptions options;
    options.seconds = seconds;
    options.hardsubs_language = "zh";
    Progress progress("generating sample episode", quiet);
    options.on_progress = [&progress](double f) { progress.update(f); };
    const auto result = sample::make_sample(video, options);
    progress.done();

    const Script& script = result.contents.script;
    const FrameRate fps = options.fps;
    const auto rules = subtitles::rules_for_language(script.language);
    subtitles::SubtitleDocument doc;
    doc.language = script.language;
    doc.events = subtitles::segment_script(script, rules, fps);

    std::vector<fs::path> written{result.video, result.reference};
    subtitles::WriteOptions write_options;
    write_options.language = script.language;
    write_options.frame_rate = fps;
    for (auto format : {subtitles::SubtitleFormat::Srt, subtitles::SubtitleFormat::WebVtt,
                        subtitles::SubtitleFormat::Ass, subtitles::SubtitleFormat::Ttml}) {
        const fs::path path = out_dir / ("sample." + script.language + subtitles::file_extension(format));
        subtitles::write_subtitles(path, doc, write_options);
        written.push_back(path);
    }
    const auto violations = subtitles::check_events(doc.events, rules, fps);

    std::cout << "dramaloc demo: a " << seconds << " s episode and its " << script.language << " subtitles ("
              << doc.events.size() << " events, " << violations.size() << " rule findings)\n";
    for (const auto& p : written) std::cout << "  " << p.string() << "\n";
    std::cout << "Try: dramaloc probe " << result.video.string() << "\n"
              << "     dramaloc subs check " << (out_dir / ("sample." + script.language + ".srt")).string()
              << " --lang " << script.language << "\n";
}

}  // namespace

void register_demo_command(CLI::App& app) {
    struct DemoArgs {
        std::string out = "demo-out";
        int seconds = 30;
        bool quiet = false;
    };
    auto a = std::make_shared<DemoArgs>();
    auto* cmd = app.add_subcommand("demo", "Generate a sample episode and write its subtitles in every format");
    cmd->add_option("--out", a->out, "output folder")->capture_default_str();
    cmd->add_option("--seconds", a->seconds, "length of the sample episode")->capture_default_str();
    cmd->add_flag("--quiet,-q", a->quiet, "no progress output");
    cmd->callback([a] { run_demo(a->out, a->seconds, a->quiet); });
}

}  // namespace dramaloc::cli
