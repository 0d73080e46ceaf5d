// localize_quality — the figures of the localize benchmark that need the outputs of a run
// (bench/localize_bench.sh drives it; definitions in bench/README.md). Two modes:
//
//   localize_quality quality REFERENCE.json EPISODE_OUT_DIR STORE_DIR
//       ASR word error rate and speaker attribution accuracy of the source script (the
//       "source-script" artifact named in EPISODE_OUT_DIR/manifest.json) against the
//       reference written by `dramaloc sample make`, and the share of lines that fit their
//       slot per language (EPISODE_OUT_DIR/qc.json).
//   localize_quality stages MANIFEST.json JOBS [PROCESS_WALL_SECONDS]
//       Seconds per stage, their sum, and the orchestration overhead: wall time not
//       covered by any stage (a conservative estimate, see below).
//
// Prints rows "figure  value  target/notes"; exits 0 unless an input is missing or malformed.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_report.hpp"
#include "core/error.hpp"
#include "core/script.hpp"
#include "core/script_json.hpp"
#include "engines/asr_lines.hpp"

using namespace dramaloc;
using nlohmann::json;
namespace fs = std::filesystem;

using namespace dramaloc::bench;

namespace {

json read_json_file(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw IoError("cannot read " + path.string());
    try {
        return json::parse(in);
    } catch (const json::exception& e) {
        throw InputError(path.string() + ": " + e.what());
    }
}

std::vector<Line> in_time_order(std::vector<Line> lines) {
    std::stable_sort(lines.begin(), lines.end(),
                     [](const Line& a, const Line& b) { return std::tie(a.start, a.end) < std::tie(b.start, b.end); });
    return lines;
}

std::string joined_text(const std::vector<Line>& lines) {
    std::string out;
    for (const Line& l : lines) out += (out.empty() ? "" : " ") + l.text;
    return out;
}

TimeMs overlap(const Line& a, const Line& b) {
    return std::max<TimeMs>(0, std::min(a.end, b.end) - std::max(a.start, b.start));
}

// Speaker attribution accuracy (bench/README.md):
//  1. each predicted speaker id p is mapped to the reference speaker r maximising the
//     total time overlap between p's lines and r's lines (ties: smaller id; no overlap at
//     all or an empty id: unmapped). Several predicted ids may map to one reference
//     speaker, so splitting a character costs nothing here; merging two does.
//  2. for each reference line, the predicted line overlapping it most in time is its match
//     (none when nothing overlaps); the line is correct when the match's speaker maps to
//     the reference line's speaker. Accuracy = correct / reference lines.
struct SpeakerScore {
    std::size_t reference_lines = 0;
    std::size_t matched = 0;  // reference lines with an overlapping predicted line
    std::size_t correct = 0;
    std::map<std::string, std::string> mapping;
    std::set<std::string> reference_speakers;
};

SpeakerScore score_speakers(const std::vector<Line>& reference, const std::vector<Line>& predicted) {
    SpeakerScore s;
    std::map<std::string, std::map<std::string, TimeMs>> shared;  // predicted -> reference -> ms
    for (const Line& p : predicted)
        for (const Line& r : reference)
            if (const TimeMs o = overlap(p, r); o > 0) shared[p.speaker][r.speaker] += o;
    for (const auto& [p, per_reference] : shared) {
        if (p.empty()) continue;
        const auto best = std::max_element(per_reference.begin(), per_reference.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
        s.mapping[p] = best->first;  // map order: the first maximum is the smallest id
    }
    for (const Line& r : reference) {
        ++s.reference_lines;
        s.reference_speakers.insert(r.speaker);
        const Line* match = nullptr;
        TimeMs most = 0;
        for (const Line& p : predicted)
            if (const TimeMs o = overlap(p, r); o > most) most = o, match = &p;
        if (!match) continue;
        ++s.matched;
        const auto it = s.mapping.find(match->speaker);
        if (it != s.mapping.end() && it->second == r.speaker) ++s.correct;
    }
    return s;
}

int run_quality(const fs::path& reference_path, const fs::path& episode_out, const fs::path& store) {
    const json reference_json = read_json_file(reference_path);
    const auto reference = in_time_order(reference_json.at("script").get<Script>().lines);

    const json manifest = read_json_file(episode_out / "manifest.json");
    std::string key;
    for (const auto& st : manifest.at("run").at("stages"))
        if (st.at("stage") == "source-script") key = st.at("key").get<std::string>();
    if (key.size() < 3) throw InputError(episode_out.string() + "/manifest.json: no source-script stage");
    const fs::path script_path = store / key.substr(0, 2) / key / "script.json";
    const auto predicted = in_time_order(read_script_json(script_path).lines);

    // 1. WER over the whole episode: texts concatenated in time order, one alignment.
    const auto errors = engines::count_word_errors(joined_text(reference), joined_text(predicted));
    row("ASR word error rate (source script)", fmt("%.1f %%", 100.0 * errors.rate()),
        "sub " + std::to_string(errors.substitutions) + ", del " + std::to_string(errors.deletions) + ", ins " +
            std::to_string(errors.insertions) + " / " + std::to_string(errors.reference_words) + " reference words");
    row("  lines: reference / recognised", std::to_string(reference.size()) + " / " + std::to_string(predicted.size()));

    // 2. Speakers.
    const auto s = score_speakers(reference, predicted);
    std::set<std::string> predicted_ids;
    std::size_t unattributed = 0;
    for (const Line& l : predicted) {
        if (l.speaker.empty())
            ++unattributed;
        else
            predicted_ids.insert(l.speaker);
    }
    const double accuracy = s.reference_lines ? static_cast<double>(s.correct) / static_cast<double>(s.reference_lines) : 0;
    std::string mapping;
    for (const auto& [p, r] : s.mapping) mapping += (mapping.empty() ? "" : ", ") + p + "->" + r;
    row("speaker attribution accuracy", fmt("%.1f %%", 100.0 * accuracy),
        std::to_string(s.correct) + "/" + std::to_string(s.reference_lines) + " reference lines (" +
            std::to_string(s.matched) + " overlapped by a recognised line)");
    row("  speakers: reference / predicted",
        std::to_string(s.reference_speakers.size()) + " / " + std::to_string(predicted_ids.size()),
        mapping + "; " + std::to_string(unattributed) + " recognised lines without a speaker");

    // 3. Fit and dub onsets, per language.
    const json qc = read_json_file(episode_out / "qc.json");
    for (const auto& [language, entry] : qc.at("languages").items()) {
        // A reference line's dub starts on time when some dub clip starts within 200 ms of it
        // (reference lines are at least 300 ms apart, so that clip is its own). A recognised
        // line that runs two reference lines together has one onset: the second starts late.
        std::size_t on_time = 0;
        for (const Line& r : reference)
            on_time += std::any_of(entry.at("clips").begin(), entry.at("clips").end(),
                                   [&](const json& clip) { return std::abs(clip.at("start_ms").get<TimeMs>() - r.start) <= 200; });
        row("dub onsets within 200 ms (" + language + ")",
            fmt("%.1f %%", reference.empty() ? 0.0 : 100.0 * static_cast<double>(on_time) / static_cast<double>(reference.size())),
            std::to_string(on_time) + "/" + std::to_string(reference.size()) + " reference lines (target >= 90 %)");
        const auto& summary = entry.at("summary");
        const int lines = summary.at("lines").get<int>();
        const int fitting = summary.at("lines_fitting").get<int>();
        row("lines fitting without overflow (" + language + ")",
            fmt("%.1f %%", lines ? 100.0 * fitting / lines : 0.0),
            std::to_string(fitting) + "/" + std::to_string(lines) + " (qc.json lines_fitting / lines)");
    }
    return 0;
}

// Orchestration overhead. Stages record only their duration, not when they ran, so the
// time covered by at least one stage is bounded from below by the structure of the graph
// (src/pipeline/localize.cpp):
//   - scope "episode", burn-in (after the languages) and the source-language subtitles run
//     one after another: their sum;
//   - the target languages run in parallel on min(jobs, L) threads, each with
//     k = max(1, jobs / L) line workers; a language's stages cover at least
//     translate + subtitles + mix + (synthesize + fit over its lines) / k, and all
//     languages together at least their sum / jobs (never more than `jobs` stages at once).
// in_stages = serial + max(those two bounds); overhead = wall - in_stages is therefore an
// upper bound on the time no stage was running. With jobs 1 it is exact.
int run_stages(const fs::path& manifest_path, int jobs, double process_wall) {
    const json manifest = read_json_file(manifest_path);
    const json& run = manifest.at("run");
    const double wall = manifest.at("wall_seconds").get<double>();
    std::set<std::string> languages;
    for (const auto& l : manifest.at("target_languages")) languages.insert(l.get<std::string>());
    const std::string source_language = manifest.value("source_language", std::string("en"));

    std::map<std::string, std::pair<int, double>> per_stage;  // stage -> computed count, seconds
    int reused = 0, computed = 0;
    double serial = 0, total = 0;
    std::map<std::string, double> language_fixed, language_lines;
    for (const auto& st : run.at("stages")) {
        const auto stage = st.at("stage").get<std::string>();
        const auto scope = st.at("scope").get<std::string>();
        const double seconds = st.at("seconds").get<double>();
        st.at("reused").get<bool>() ? ++reused : ++computed;
        auto& [count, sum] = per_stage[stage];
        if (!st.at("reused").get<bool>()) ++count;
        sum += seconds;
        total += seconds;
        const auto slash = scope.find('/');
        const std::string head = scope.substr(0, slash);
        if (languages.count(head) && head != source_language && stage != "burn-in")
            (slash == std::string::npos ? language_fixed[head] : language_lines[head]) += seconds;
        else
            serial += seconds;
    }
    const double language_count = static_cast<double>(std::max<std::size_t>(1, languages.size()));
    const double line_workers = std::max(1.0, static_cast<double>(jobs / static_cast<int>(language_count)));
    double longest_language = 0, all_languages = 0;
    for (const auto& l : languages) {
        longest_language = std::max(longest_language, language_fixed[l] + language_lines[l] / line_workers);
        all_languages += language_fixed[l] + language_lines[l];
    }
    const double parallel = std::max(longest_language, all_languages / std::max(1, jobs));
    const double in_stages = serial + parallel;

    row("stages computed / reused", std::to_string(computed) + " / " + std::to_string(reused));
    for (const auto& [stage, v] : per_stage)
        row("  " + stage + " (" + std::to_string(v.first) + "x)", fmt("%.2f s", v.second));
    row("  sum of stage seconds", fmt("%.2f s", total), "exceeds the wall time when stages overlap");
    row("  time inside stages (graph lower bound)", fmt("%.2f s", in_stages),
        fmt("serial %.2f s + languages in parallel ", serial) + fmt("%.2f s", parallel));
    row("  manifest wall_seconds", fmt("%.2f s", wall));
    row("orchestration overhead (manifest wall)", fmt("%.1f %%", wall > 0 ? 100.0 * (wall - in_stages) / wall : 0.0),
        fmt("%.2f s outside stages; target <= 2 %%", wall - in_stages));
    if (process_wall > 0)
        row("orchestration overhead (process wall)",
            fmt("%.1f %%", 100.0 * (process_wall - in_stages) / process_wall),
            fmt("%.2f s; adds start-up, engine checks (validate), exit", process_wall - in_stages));
    return 0;
}

int usage() {
    std::cerr << "usage: localize_quality quality REFERENCE.json EPISODE_OUT_DIR STORE_DIR\n"
                 "       localize_quality stages MANIFEST.json JOBS [PROCESS_WALL_SECONDS]\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::vector<std::string> args(argv + 1, argv + argc);
        if (args.size() == 4 && args[0] == "quality") return run_quality(args[1], args[2], args[3]);
        if ((args.size() == 3 || args.size() == 4) && args[0] == "stages")
            return run_stages(args[1], std::stoi(args[2]), args.size() == 4 ? std::stod(args[3]) : 0.0);
        return usage();
    } catch (const std::exception& e) {
        std::cerr << "localize_quality: " << e.what() << "\n";
        return 1;
    }
}
