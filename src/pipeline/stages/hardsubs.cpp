// Stage hardsubs: find the burned-in subtitle band and read its text (OCR), and with it which
// source the episode's script comes from.
#include <cstdio>

#include "core/error.hpp"
#include "engines/ocr.hpp"
#include "hardsubs/scan.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/source_stages.hpp"
#include "pipeline/stages/source.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kMinAutoOcrConfidence = 0.6;

// Why the burned-in subtitles are not the source language's, or empty when they are: text in
// another language than the one spoken (Chinese subtitles over English speech) reads as
// nonsense with the source language's model, at a low confidence; the right model reads real
// subtitles at 0.8 and above.
std::string another_language_reason(const hardsubs::HardsubExtraction& x, const std::string& language) {
    if (x.subtitles.empty()) return {};
    double sum = 0;
    for (const auto& s : x.subtitles) sum += s.confidence;
    const double mean = sum / static_cast<double>(x.subtitles.size());
    if (mean >= kMinAutoOcrConfidence) return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", mean);
    return "the burned-in subtitles do not read as " + language + " (mean OCR confidence " + buf + "; they are probably in another language)";
}

// The burned-in subtitles: the band (given or found) and its text, from one decode of the
// episode (hardsubs/scan.hpp). nullopt when there are none.
std::optional<hardsubs::HardsubExtraction> read_hardsubs(StageContext& context, const fs::path& episode, const std::string& input_key,
                                                         const SourceOptions& options, const std::string& ocr, int jobs,
                                                         std::string& key) {
    auto probe_ocr = engines::make_text_recognizer(ocr);
    const std::string ocr_identity = probe_ocr->version();
    const std::string language = options.language;
    const std::string band = options.subtitle_band ? hardsubs::to_string(*options.subtitle_band) : "find";
    key = stage_key(StageId::Hardsubs, ocr_identity, {input_key}, band + "/" + language);
    context.announce(options.subtitle_band ? "read the burned-in subtitles (band " + band + ")" : "find and read the burned-in subtitles");
    const fs::path dir = run_stage(context, {StageId::Hardsubs, "episode", ocr_identity, key}, [&](const fs::path& d) {
        hardsubs::ScanOptions scan;
        scan.band = options.subtitle_band;
        scan.extract.language = language;
        scan.extract.ocr_backend = ocr;
        scan.extract.jobs = jobs;
        const auto found = hardsubs::scan_hardsubs(episode, scan);
        json j = {{"frames_examined", found.detection.frames_examined},
                  {"frames_with_text", found.detection.frames_with_text},
                  {"band", found.detection.band ? json{found.detection.band->y0, found.detection.band->y1} : json(nullptr)},
                  {"extraction", found.extraction ? extraction_to_json(*found.extraction) : json(nullptr)}};
        write_json(d / "hardsubs.json", j);
    });
    const json j = read_json(dir / "hardsubs.json");
    if (j.at("extraction").is_null()) return std::nullopt;
    return extraction_from_json(j.at("extraction"));
}

}  // namespace

json extraction_to_json(const hardsubs::HardsubExtraction& x) {
    json segments = json::array();
    for (const auto& s : x.segments) segments.push_back({s.first_frame, s.end_frame, s.start, s.end});
    json subtitles = json::array();
    for (const auto& s : x.subtitles)
        subtitles.push_back({{"start_ms", s.start}, {"end_ms", s.end}, {"text", s.text}, {"confidence", s.confidence},
                             {"segments", s.segments}});
    return {{"band", {x.band.y0, x.band.y1}}, {"segments", segments}, {"subtitles", subtitles}, {"frames", x.frames},
            {"frames_decoded", x.frames_decoded}, {"ocr_calls", x.ocr_calls}, {"ocr_failures", x.ocr_failures}, {"dropped_noise", x.dropped_noise},
            {"dropped_short", x.dropped_short}, {"decoded_again", x.decoded_again}, {"language", x.language}, {"engine", x.engine}};
}

hardsubs::HardsubExtraction extraction_from_json(const json& j) {
    hardsubs::HardsubExtraction x;
    x.band = {j.at("band").at(0).get<int>(), j.at("band").at(1).get<int>()};
    for (const auto& s : j.at("segments"))
        x.segments.push_back({s.at(0).get<std::int64_t>(), s.at(1).get<std::int64_t>(), s.at(2).get<TimeMs>(), s.at(3).get<TimeMs>()});
    for (const auto& s : j.at("subtitles"))
        x.subtitles.push_back({s.at("start_ms").get<TimeMs>(), s.at("end_ms").get<TimeMs>(), s.at("text").get<std::string>(),
                               s.at("confidence").get<float>(), s.at("segments").get<int>()});
    x.frames = j.at("frames").get<std::int64_t>();
    x.frames_decoded = j.at("frames_decoded").get<std::int64_t>();
    x.ocr_calls = j.at("ocr_calls").get<int>();
    x.ocr_failures = j.at("ocr_failures").get<int>();
    x.dropped_noise = j.at("dropped_noise").get<int>();
    x.dropped_short = j.at("dropped_short").get<int>();
    x.decoded_again = j.value("decoded_again", 0);
    x.language = j.value("language", std::string());
    x.engine = j.at("engine").get<std::string>();
    return x;
}

SourcePlan plan_source(StageContext& context, const fs::path& episode, const std::string& input_key, bool has_audio,
                       const SourceOptions& options, const std::string& ocr, int jobs) {
    SourcePlan out;
    out.mode = options.choice.mode;
    if (out.mode == SourceMode::Auto) {
        if (const std::string why = ocr_unavailable_reason(ocr, options.language); !why.empty()) {
            out.mode = SourceMode::Asr;
            out.note = "burned-in subtitles were not looked for (" + why + ")";
        }
    }
    if (out.mode == SourceMode::Import) {
        // The studio's script is the source. Burned-in subtitles, when there are some in the
        // source language, time a script without times and are compared with it (QC); in
        // another language they are kept for removal only.
        if (ocr_unavailable_reason(ocr, options.language).empty()) {
            auto found = read_hardsubs(context, episode, input_key, options, ocr, jobs, out.hardsubs_key);
            if (found && !found->subtitles.empty()) {
                const std::string other = another_language_reason(*found, options.language);
                out.hardsubs_say_the_script = other.empty();
                if (!other.empty()) out.note = other + "; they are not compared with the script";
                out.hardsubs = std::move(found);
            } else {
                out.hardsubs_key.clear();
            }
        }
    } else if (out.mode == SourceMode::Auto || out.mode == SourceMode::Ocr || out.mode == SourceMode::Both) {
        out.hardsubs = read_hardsubs(context, episode, input_key, options, ocr, jobs, out.hardsubs_key);
        bool usable = out.hardsubs && !out.hardsubs->subtitles.empty();
        std::string why = out.hardsubs ? "the subtitle band " + hardsubs::to_string(out.hardsubs->band) + " held no readable text"
                                       : "no burned-in subtitles were found";
        if (usable && out.mode == SourceMode::Auto) {
            if (const std::string other = another_language_reason(*out.hardsubs, options.language); !other.empty())
                usable = false, why = other;
        }
        if (!usable) {
            if (out.mode == SourceMode::Ocr)
                throw InputError(episode.string() + ": --source ocr, but " + why +
                                 "; use --source asr, or give --subtitle-band y0:y1 where they are");
            out.note = why + "; the source script comes from speech recognition (--source ocr forces the subtitles)";
            out.mode = SourceMode::Asr;  // the extraction is kept: its text segments still guide removal
            if (!has_audio) throw InputError(episode.string() + ": " + why + " and there is no audio stream to recognise speech in");
        } else if (out.mode == SourceMode::Auto) {
            out.mode = has_audio ? SourceMode::Both : SourceMode::Ocr;
            out.note = "burned-in subtitles found in band " + hardsubs::to_string(out.hardsubs->band);
        }
    }
    if (!out.note.empty()) context.announce(std::string("source script from ") + to_string(out.mode) + ": " + out.note);
    return out;
}

}  // namespace dramaloc::pipeline
