// `dramaloc subs extract`: the burned-in subtitles of an episode as a subtitle file, so that a
// studio can read and correct the source script before it is used (`[series] script`).
#include <chrono>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "core/language.hpp"
#include "hardsubs/scan.hpp"
#include "subtitles/format.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;

namespace {

std::string clock_time(TimeMs ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld", static_cast<long long>(ms / 3600000), static_cast<long long>(ms / 60000 % 60),
                  static_cast<long long>(ms / 1000 % 60), static_cast<long long>(ms % 1000));
    return buf;
}

}  // namespace

void register_subs_extract_command(CLI::App& subs) {
    struct Args {
        std::string episode, out, lang = "zh", band, pictures;
        int jobs = 0;
        bool json = false, quiet = false;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = subs.add_subcommand("extract", "Read an episode's burned-in subtitles into a subtitle file (.srt .vtt .ass .ttml)");
    cmd->add_option("EPISODE", a->episode, "video file")->required();
    cmd->add_option("OUT", a->out, "subtitle file to write; its extension says the format")->required();
    cmd->add_option("--lang", a->lang, "language of the burned-in text (zh, zh-Hant, en…)")->capture_default_str();
    cmd->add_option("--subtitle-band", a->band, "rows y0:y1 where the subtitles are (default: found)");
    cmd->add_option("--jobs,-j", a->jobs, "OCR workers (default: one per core)");
    cmd->add_option("--keep-pictures", a->pictures, "keep every picture OCR read in this folder (PGM, named by frame), to see why a line was misread");
    cmd->add_flag("--json", a->json, "print the subtitles and figures as JSON instead of lines");
    cmd->add_flag("--quiet,-q", a->quiet, "no progress output");
    cmd->callback([a] {
        option_value([&] { language_or_throw(a->lang); });
        option_value([&] { subtitles::format_from_path(a->out); });  // an unknown extension fails before the decode
        if (const fs::path folder = fs::absolute(a->out).parent_path(); !fs::is_directory(folder))
            throw InputError(a->out + ": the folder " + folder.string() + " does not exist; create it or write elsewhere");
        hardsubs::ScanOptions options;
        if (!a->band.empty()) options.band = option_value([&] { return hardsubs::parse_band(a->band); });
        options.extract.language = a->lang;
        options.extract.jobs = a->jobs;
        options.extract.pictures_dir = a->pictures;
        Progress progress("extract " + fs::path(a->episode).filename().string(), a->quiet || a->json);
        options.extract.on_progress = [&progress](double f) { progress.update(f); };
        const auto started = std::chrono::steady_clock::now();
        const hardsubs::HardsubScan scan = hardsubs::scan_hardsubs(a->episode, options);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        progress.done();
        if (!scan.extraction)
            throw InputError(a->episode + ": no burned-in subtitles were found (" + std::to_string(scan.detection.frames_examined) +
                             " frames examined); give --subtitle-band y0:y1 if they are there");
        const hardsubs::HardsubExtraction& x = *scan.extraction;
        subtitles::SubtitleDocument doc;
        doc.language = x.language;
        for (const auto& s : x.subtitles)
            doc.events.push_back(SubtitleEvent{static_cast<int>(doc.events.size()) + 1, s.start, s.end, {s.text}, "", ""});
        subtitles::WriteOptions write;
        write.language = x.language;
        subtitles::write_subtitles(a->out, doc, write);
        if (a->json) {
            nlohmann::json lines = nlohmann::json::array();
            for (const auto& s : x.subtitles)
                lines.push_back({{"start", s.start / 1000.0}, {"end", s.end / 1000.0}, {"text", s.text}, {"confidence", s.confidence}, {"segments", s.segments}});
            std::cout << nlohmann::json{{"episode", a->episode},   {"out", a->out},         {"band", hardsubs::to_string(x.band)},
                                        {"language", x.language}, {"subtitles", lines},     {"frames", x.frames},
                                        {"frames_decoded", x.frames_decoded}, {"decoded_again", x.decoded_again},
                                        {"ocr_calls", x.ocr_calls}, {"seconds", seconds}}
                             .dump(2)
                      << "\n";
            return;
        }
        for (const auto& s : x.subtitles) std::printf("%s --> %s  %s  (%.2f)\n", clock_time(s.start).c_str(), clock_time(s.end).c_str(), s.text.c_str(), s.confidence);
        std::fprintf(stderr, "%s: %zu subtitles in band %s (read as %s), %lld of %lld frames decoded (%d of them again), %d OCR calls, %.1f s; wrote %s\n",
                     a->episode.c_str(), x.subtitles.size(), hardsubs::to_string(x.band).c_str(), x.language.c_str(),
                     static_cast<long long>(x.frames_decoded), static_cast<long long>(x.frames), x.decoded_again, x.ocr_calls, seconds, a->out.c_str());
    });
}

}  // namespace dramaloc::cli
