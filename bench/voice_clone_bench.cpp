// voice_clone_bench DRAMALOC WORKDIR [SECONDS] — the voice references cut for cloning: a
// generated English episode (three espeak-ng voices over music, a known script) localized to
// Spanish with [engines.tts] clone = true against the tests' local OpenAI-compatible server.
// Printed, per character that got a clip: its length, and its purity — of the clip's time
// that the reference script says someone speaks in, the share of the one speaker the clip is
// most of (100 %: one person's voice alone; the recognizer's line edges do not count). The baseline, measured on the same lines: the
// character's first lines in time order up to the same length, with no ranking.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "bench_report.hpp"
#include "bench_sample.hpp"
#include "core/script_json.hpp"
#include "media/av_handles.hpp"
#include "sample/sample.hpp"
#include "support/fake_openai_server.hpp"

using namespace dramaloc;
using namespace dramaloc::bench;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

TimeMs overlap(const Line& a, const Line& b) { return std::max<TimeMs>(0, std::min(a.end, b.end) - std::max(a.start, b.start)); }

struct Purity {
    std::string owner;  // the reference speaker most of the clip is
    double purity = 0;  // owner's time / the time anyone speaks in the lines
    double seconds = 0;
};

Purity purity_of(const std::vector<Line>& chosen, const std::vector<Line>& reference) {
    std::map<std::string, TimeMs> by_speaker;
    TimeMs total = 0, speech = 0;  // the lines' time; the part of it someone speaks in
    for (const auto& l : chosen) {
        total += l.duration();
        for (const auto& r : reference) {
            by_speaker[r.speaker] += overlap(l, r);
            speech += overlap(l, r);
        }
    }
    Purity p;
    for (const auto& [speaker, t] : by_speaker)
        if (p.owner.empty() || t > by_speaker[p.owner]) p.owner = speaker;
    p.purity = speech > 0 && !p.owner.empty() ? static_cast<double>(by_speaker[p.owner]) / static_cast<double>(speech) : 0.0;
    p.seconds = static_cast<double>(total) / 1000.0;
    return p;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: voice_clone_bench DRAMALOC WORKDIR [SECONDS]\n");
        return 2;
    }
    try {
        media::set_ffmpeg_log_quiet(true);
        const std::string dramaloc = argv[1];
        const fs::path work = argv[2];
        const int seconds = argc > 3 ? std::atoi(argv[3]) : 90;
        fs::create_directories(work);
        const fs::path episode = work / ("clone-en-" + std::to_string(seconds) + ".mp4");
        sample::SampleOptions o;
        o.seconds = seconds;
        const sample::SampleReference ref = sample_once(episode, o);
        test::FakeOpenAiServer server;
        const fs::path config = work / "clone.toml";
        std::ofstream(config) << "[engines.tts]\nbackend = \"openai\"\nurl = \"" << server.base_url()
                              << "\"\nmodel = \"bench\"\nclone = true\n";
        const fs::path out = work / "clone-out";
        fs::remove_all(out);
        const double wall = seconds_of([&] {
            const std::string cmd = quote(dramaloc) + " localize " + quote(episode.string()) + " --from en --to es --config " +
                                    quote(config.string()) + " --out " + quote(out.string()) + " -q > /dev/null";
            if (std::system(cmd.c_str()) != 0) throw std::runtime_error("dramaloc localize failed: " + cmd);
        });
        const json manifest = json::parse(std::ifstream(out / episode.stem() / "manifest.json"));
        std::string key;
        for (const auto& s : manifest["run"]["stages"])
            if (s["stage"] == "source-script") key = s["key"];
        const Script script = read_script_json(out / ".dramaloc-store" / key.substr(0, 2) / key / "script.json");

        std::printf("== voice references for cloning (%d s episode, %zu reference lines, %zu predicted; localize %.1f s) ==\n", seconds,
                    ref.script.lines.size(), script.lines.size(), wall);
        std::printf("%-46s %14s   %s\n", "figure", "value", "target / notes");
        int with_clip = 0, without = 0, cloned_requests = 0;
        double purity_sum = 0, baseline_sum = 0;
        for (const auto& [id, cut] : manifest["voice_references"].items()) {
            if (!cut.contains("line_ids")) {
                ++without;
                row("  " + id + ": no clip", "-", cut["reason"].get<std::string>());
                continue;
            }
            std::vector<Line> chosen, first;
            for (const auto& line_id : cut["line_ids"])
                for (const auto& l : script.lines)
                    if (l.id == line_id.get<int>()) chosen.push_back(l);
            // Baseline: the character's lines in time order, up to the clip's length.
            double length = 0;
            for (const auto& l : script.lines)
                if (l.speaker == id && length < cut["seconds"].get<double>()) first.push_back(l), length += static_cast<double>(l.duration()) / 1000.0;
            const Purity ours = purity_of(chosen, ref.script.lines), naive = purity_of(first, ref.script.lines);
            ++with_clip;
            purity_sum += ours.purity;
            baseline_sum += naive.purity;
            row("  " + id + ": clip purity (baseline: first lines)", fmt("%.1f %%", 100.0 * ours.purity),
                fmt("%.1f s", cut["seconds"].get<double>()) + " of " + std::to_string(chosen.size()) + " lines, mostly " + ours.owner +
                    "; baseline " + fmt("%.1f %%", 100.0 * naive.purity) + " (" + naive.owner + ")");
        }
        for (const auto& speech : server.speeches()) cloned_requests += !speech.reference_wav.empty();
        row("characters with a clip", std::to_string(with_clip) + " / " + std::to_string(with_clip + without),
            "the others have under 3 s of clear speech alone");
        if (with_clip > 0)
            row("mean clip purity", fmt("%.1f %%", 100.0 * purity_sum / with_clip),
                "baseline " + fmt("%.1f %%", 100.0 * baseline_sum / with_clip) + "; ratio " +
                    (baseline_sum > 0 ? fmt("%.2f", purity_sum / baseline_sum) : std::string("-")));
        row("synthesis requests sent with a clip", std::to_string(cloned_requests) + " / " + std::to_string(server.speeches().size()));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "voice_clone_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
