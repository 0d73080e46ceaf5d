// hardsubs_bench WORKDIR [SECONDS] — burned-in subtitles: OCR character error rate and
// timing against the sample's reference, extraction speed against a plain decode measured
// in the same run, OCR calls per subtitle, and removal speed (inpaint, blur). Episodes are
// generated into WORKDIR (hs-BACKGROUND-SECONDS.mp4 + .json) unless already there.
// Prints figures; exits 0 unless something failed outright (bench/README.md).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "bench_report.hpp"
#include "core/edit_distance.hpp"
#include "core/error.hpp"
#include "core/text_codec.hpp"
#include "hardsubs/band.hpp"
#include "hardsubs/extract.hpp"
#include "hardsubs/ocr_text.hpp"
#include "hardsubs/remove.hpp"
#include "hardsubs/scan.hpp"
#include "media/av_handles.hpp"
#include "media/video_frames.hpp"
#include "sample/sample.hpp"

using namespace dramaloc;
namespace fs = std::filesystem;

using namespace dramaloc::bench;

namespace {

std::vector<char32_t> without_spaces(const std::string& s) {
    auto cps = code_points(s);
    cps.erase(std::remove_if(cps.begin(), cps.end(), [](char32_t c) { return c == U' ' || c == U'\n'; }), cps.end());
    return cps;
}

std::string text_of(const SubtitleEvent& e) {
    std::string t;
    for (const auto& l : e.lines) t += l;
    return t;
}

// Short lines (3-8 characters: little text to read against the background) and a key frame
// every 10 s, as episodes cut for phones often are.
sample::SampleResult episode(const fs::path& work, sample::Background background, int seconds) {
    const fs::path mp4 = work / ("hs-" + std::string(sample::to_string(background)) + "-short-" + std::to_string(seconds) + ".mp4");
    if (fs::exists(mp4) && fs::exists(sample::reference_path_for(mp4)))
        return {mp4, sample::reference_path_for(mp4), sample::read_sample_reference(sample::reference_path_for(mp4))};
    std::fprintf(stderr, "generating %s…\n", mp4.c_str());
    sample::SampleOptions o;
    o.seconds = seconds;
    o.background = background;
    o.hardsubs_language = "zh";
    o.scene = sample::Scene::Short;
    o.keyframe_interval_s = 10;
    return sample::make_sample(mp4, o);
}

double ffmpeg_decode_seconds(const fs::path& video) {
    return seconds_of([&] {
        const std::string cmd = "ffmpeg -v error -threads 2 -i " + quote(video.string()) + " -an -f null -";
        if (std::system(cmd.c_str()) != 0) throw EngineError("ffmpeg baseline failed: " + cmd);
    });
}

// Finding and reading the band: one decode (hardsubs/scan.hpp), 2 OCR workers.
hardsubs::HardsubScan scan(const fs::path& video, double& seconds) {
    hardsubs::ScanOptions options;
    options.extract.jobs = 2;
    hardsubs::HardsubScan result;
    seconds = seconds_of([&] { result = hardsubs::scan_hardsubs(video, options); });
    return result;
}

// The extracted texts that match no reference line exactly (what the misreadings look like).
std::string wrong_readings(const sample::SampleReference& ref, const hardsubs::HardsubExtraction& x) {
    std::string out;
    int shown = 0;
    for (const auto& g : x.subtitles) {
        const bool exact = std::any_of(ref.hardsubs.begin(), ref.hardsubs.end(),
                                       [&](const SubtitleEvent& e) { return without_spaces(text_of(e)) == without_spaces(g.text); });
        if (!exact && shown++ < 6) out += (out.empty() ? "" : ", ") + ("\"" + g.text + "\"");
    }
    return out;
}

void measure_speed(const sample::SampleResult& s) {
    const double duration = static_cast<double>(s.contents.duration_ms) / 1000.0;
    const double baseline = ffmpeg_decode_seconds(s.video);
    double seconds = 0;
    const auto result = scan(s.video, seconds);
    row(fmt("find + read, %.0f s ", duration) + s.contents.background + " episode", fmt("%.1fx real time", duration / seconds),
        fmt("%.2f s (target >= 15x); ", seconds) + fmt("ffmpeg -threads 2 decoding every frame: %.2f s, ", baseline) +
            fmt("ratio %.2f", seconds / baseline) + (result.extraction ? "" : "; NO BAND FOUND"));
}

void measure_extraction(const sample::SampleResult& s) {
    const auto& ref = s.contents;
    const double duration = static_cast<double>(ref.duration_ms) / 1000.0;
    std::printf("-- %s background, %.0f s, %lld frames, %zu burned-in subtitles of 3-8 characters, a key frame every %d s --\n",
                ref.background.c_str(), duration, static_cast<long long>(ref.frames), ref.hardsubs.size(), ref.keyframe_interval_s);

    const double ffmpeg_decode = ffmpeg_decode_seconds(s.video);
    double total = 0;
    const hardsubs::HardsubScan result = scan(s.video, total);
    const auto& detection = result.detection;
    if (!detection.band || !result.extraction) {
        row("subtitle band", "none found", "(" + std::to_string(detection.frames_examined) + " frames examined)");
        return;
    }
    const auto band = *detection.band;
    const hardsubs::HardsubExtraction& x = *result.extraction;
    row("band found", hardsubs::to_string(band),
        "burned-in text at " + std::to_string(ref.hardsubs_area->y) + ":" +
            std::to_string(ref.hardsubs_area->y + ref.hardsubs_area->height) + "; " + std::to_string(detection.frames_examined) +
            " frames examined");
    row("find + read, one decode", fmt("%.1fx real time", duration / total),
        fmt("%.2f s (target >= 15x); ", total) + std::to_string(x.frames_decoded) + " of " + std::to_string(x.frames) +
            " frames decoded; masks kept: " + fmt("%.1f MB", static_cast<double>(result.mask_bytes) / 1e6));
    row("  ratio to ffmpeg decoding every frame", fmt("%.2f", total / ffmpeg_decode),
        fmt("ffmpeg -threads 2 -f null: %.2f s in this run", ffmpeg_decode));
    // Character error rate over the whole script (texts in order, spaces ignored).
    std::vector<char32_t> want, got;
    for (const auto& e : ref.hardsubs) {
        const auto t = without_spaces(text_of(e));
        want.insert(want.end(), t.begin(), t.end());
    }
    for (const auto& e : x.subtitles) {
        const auto t = without_spaces(e.text);
        got.insert(got.end(), t.begin(), t.end());
    }
    const std::size_t errors = edit_distance(want, got);
    const double target = ref.background == "busy" ? 5.0 : 2.0;
    row("character error rate", fmt("%.2f %%", 100.0 * static_cast<double>(errors) / static_cast<double>(std::max<std::size_t>(1, want.size()))),
        std::to_string(errors) + " edits / " + std::to_string(want.size()) + " reference characters (target <= " + fmt("%.0f", target) + " %)");
    row("subtitles: reference / extracted", std::to_string(ref.hardsubs.size()) + " / " + std::to_string(x.subtitles.size()),
        std::to_string(x.segments.size()) + " text segments, " + std::to_string(x.dropped_short) + " too short, " +
            std::to_string(x.dropped_noise) + " noise");
    row("OCR calls per subtitle", fmt("%.2f", static_cast<double>(x.ocr_calls) / static_cast<double>(std::max<std::size_t>(1, x.subtitles.size()))),
        std::to_string(x.ocr_calls) + " calls (" + std::to_string(x.ocr_failures) + " failed); OCR of every frame would be " +
            std::to_string(x.frames));
    if (const auto wrong = wrong_readings(ref, x); !wrong.empty()) row("  misread", wrong);

    // Timing: each reference subtitle against the extracted one overlapping it most.
    const double frame_ms = 1000.0 / ref.fps.fps();
    double worst_in = 0, worst_out = 0, sum_in = 0, sum_out = 0;
    int matched = 0, within_two = 0;
    for (const auto& e : ref.hardsubs) {
        const hardsubs::ExtractedSubtitle* best = nullptr;
        TimeMs most = 0;
        for (const auto& g : x.subtitles) {
            const TimeMs o = std::min(e.end, g.end) - std::max(e.start, g.start);
            if (o > most) most = o, best = &g;
        }
        if (!best) continue;
        ++matched;
        const double din = std::abs(static_cast<double>(best->start - e.start)) / frame_ms;
        const double dout = std::abs(static_cast<double>(best->end - e.end)) / frame_ms;
        worst_in = std::max(worst_in, din), worst_out = std::max(worst_out, dout);
        sum_in += din, sum_out += dout;
        within_two += din <= 2 && dout <= 2;
    }
    row("timing: in / out error, mean frames", fmt("%.2f", sum_in / std::max(1, matched)) + " / " + fmt("%.2f", sum_out / std::max(1, matched)),
        "worst " + fmt("%.2f", worst_in) + " / " + fmt("%.2f", worst_out) + " frames; " + std::to_string(within_two) + "/" +
            std::to_string(ref.hardsubs.size()) + " within 2 frames (target: all)");
}


void measure_removal(const sample::SampleResult& s) {
    const auto band = hardsubs::detect_subtitle_band(s.video).band;
    if (!band) return;
    const auto x = hardsubs::extract_hardsubs(s.video, *band);
    for (const auto method : {hardsubs::RemovalMethod::Inpaint, hardsubs::RemovalMethod::Blur}) {
        hardsubs::RemovalOptions o;
        o.method = method;
        hardsubs::HardsubRemover remover(*band, x.segments, o);
        media::VideoReadOptions read;
        read.kind = media::PixelKind::Rgb24;
        media::VideoFrameReader reader(s.video, read);
        media::VideoFrame f;
        double cleaning = 0;
        while (reader.next(f)) {
            cleaning += seconds_of([&] { remover.clean(f.pixels.data(), f.width, f.height, f.stride, f.index); });
        }
        const auto& r = remover.report();
        row(std::string("removal, ") + hardsubs::to_string(method) + " (" + s.contents.background + ")",
            fmt("%.0f fps", static_cast<double>(r.frames_cleaned) / std::max(1e-9, cleaning)),
            fmt("%.1f ms per cleaned frame; ", 1000.0 * cleaning / std::max<double>(1, static_cast<double>(r.frames_cleaned))) +
                std::to_string(r.frames_cleaned) + " of " + std::to_string(r.frames_seen) + " frames had text; " +
                fmt("%.0f fps over all frames (decode and encode not counted)", static_cast<double>(r.frames_seen) / std::max(1e-9, cleaning)));
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: hardsubs_bench WORKDIR [SECONDS]\n");
        return 2;
    }
    try {
        media::set_ffmpeg_log_quiet(true);
        const fs::path work = argv[1];
        fs::create_directories(work);
        const int seconds = argc > 2 ? std::atoi(argv[2]) : 60;
        std::vector<sample::SampleResult> episodes;
        for (auto b : {sample::Background::Plain, sample::Background::Striped, sample::Background::Busy})
            episodes.push_back(episode(work, b, seconds));
        std::printf("%-46s %14s   %s\n", "figure", "value", "target / notes");
        for (const auto& e : episodes) measure_extraction(e);
        std::printf("-- speed on a short episode --\n");
        measure_speed(episode(work, sample::Background::Busy, 20));
        std::printf("-- removal --\n");
        measure_removal(episodes[0]);
        measure_removal(episodes[2]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hardsubs_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
