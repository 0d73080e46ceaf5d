// `dramaloc demo`: what a newcomer runs first. It generates a sample episode (characters
// speaking English over quiet music, burned-in Chinese) with its script, as a studio would
// hand them over, and localizes it en → es, fr with the embedded engines from that script;
// then prints where everything went, and how well the embedded recogniser hears the same
// episode (what the demo would have translated without the script).
#include <cstdio>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "cli/episodes.hpp"
#include "cli/progress.hpp"
#include "engines/asr.hpp"
#include "engines/asr_lines.hpp"
#include "engines/vad.hpp"
#include "media/audio_decode.hpp"
#include "pipeline/localize.hpp"
#include "pipeline/source_stages.hpp"
#include "sample/sample.hpp"
#include "subtitles/format.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;

namespace {

// Joined text of lines in time order, for one word alignment over the episode.
std::string script_text(const std::vector<Line>& lines) {
    std::string text;
    for (const Line& l : lines) text += (text.empty() ? "" : " ") + l.text;
    return text;
}

// The episode's script as a studio hands it over: a subtitle file, one event a line, with the
// characters' names as speakers.
fs::path write_studio_script(const sample::SampleResult& sample, const fs::path& out_dir) {
    subtitles::SubtitleDocument doc;
    doc.language = "en";
    for (const Line& l : sample.contents.script.lines) doc.events.push_back(SubtitleEvent{l.id, l.start, l.end, {l.text}, "", l.speaker});
    const fs::path file = out_dir / "sample.script.srt";
    subtitles::WriteOptions write;
    write.language = "en";
    subtitles::write_subtitles(file, doc, write);
    return file;
}

// How well the embedded recogniser hears the episode: its word error rate against the script.
engines::WordErrors recogniser_errors(const sample::SampleResult& sample, const pipeline::LocalizeOptions& options) {
    auto recognizer = engines::make_speech_recognizer(options.engines.asr);
    auto vad = engines::make_voice_activity_detector(options.engines.vad);
    const auto speech = media::decode_audio(sample.video, 16000, 1);
    std::string heard;
    for (const Word& w : pipeline::recognise_soundtrack(speech, *recognizer, *vad, "en")) heard += (heard.empty() ? "" : " ") + w.text;
    return engines::count_word_errors(script_text(sample.contents.script.lines), heard);
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

    const fs::path script = write_studio_script(sample, out_dir);
    std::cout << "the studio's script: " << script.string() << "\n";

    pipeline::LocalizeOptions options;
    options.source.language = "en";
    options.languages.targets = {"es", "fr"};
    options.run.out_dir = out_dir;
    options.source.choice = pipeline::SourceChoice{pipeline::SourceMode::Import, script};
    pipeline::validate(options);
    std::optional<pipeline::EpisodeOutputs> outputs;
    EpisodeHooks hooks;
    hooks.after = [&](const std::string&, pipeline::LocalizeOptions&, const pipeline::EpisodeOutputs& result) { outputs = result; };
    g_command_exit_code = localize_episodes({video.string()}, options, quiet, hooks);
    if (!outputs) return;  // the failure was reported

    // What it did: what each language got, what to open; and, apart, how well the embedded
    // recogniser hears the same episode.
    std::printf("\nThe demo localized the %zu lines of the studio's script (%s).\n", outputs->source_script.lines.size(),
                script.filename().string().c_str());
    for (const auto& [language, qc] : outputs->languages)
        std::printf("  %s: %d lines translated, subtitled and dubbed\n", language.c_str(), qc.lines);
    const fs::path folder = outputs->folder;
    std::cout << "Open first:\n"
              << "  " << (folder / "sample.localized.mp4").string() << "   the video with a Spanish and a French dub and subtitle tracks\n"
              << "  " << (folder / "sample.es.srt").string() << "   the Spanish subtitles\n"
              << "  " << (folder / "qc.json").string() << "   what the quality checks found\n"
              << "Then try: dramaloc subs check " << (folder / "sample.es.srt").string() << " --lang es\n";
    const auto errors = recogniser_errors(sample, options);
    std::printf("\nWithout the script, the source would be speech recognition: the embedded recogniser (pocketsphinx) gets "
                "%.0f %% of this episode's words wrong (word error rate, %zu words). Model servers hear far better "
                "(docs/engines.md); bench/README.md has its figures on real recordings.\n",
                100.0 * errors.rate(), errors.reference_words);
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
