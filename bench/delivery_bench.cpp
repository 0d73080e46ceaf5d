// Delivery against rendering (issue 27): a generated series (EPISODES × SECONDS, into LANGS,
// every language burned in, the mix's stems kept) is run with `dramaloc run`, every version is
// approved at the revisions it was rendered at, and it is delivered to each built-in profile
// into a new folder. Printed: the render time, each profile's delivery time and its share of
// the render time (aim: <= 10 % where the picture is stream-copied), versions delivered.
//
//   delivery_bench DRAMALOC WORK [EPISODES=12] [SECONDS=30] [LANGS=es,fr,pt,it,ca]
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "bench_report.hpp"
#include "pipeline/manifest.hpp"
#include "series/review_log.hpp"

using namespace dramaloc;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: delivery_bench DRAMALOC WORK [EPISODES=12] [SECONDS=30] [LANGS=es,fr,pt,it,ca]\n");
        return 2;
    }
    const std::string dramaloc = argv[1];
    const fs::path work = fs::absolute(argv[2]);
    const int episodes = argc > 3 ? std::atoi(argv[3]) : 12;
    const int seconds = argc > 4 ? std::atoi(argv[4]) : 30;
    const std::vector<std::string> languages = bench::split(argc > 5 ? argv[5] : "es,fr,pt,it,ca");
    fs::remove_all(work);
    fs::create_directories(work / "episodes");
    for (int i = 1; i <= episodes; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "ep%02d.mp4", i);
        bench::must(bench::quote(dramaloc) + " sample make " + bench::quote((work / "episodes" / name).string()) + " --seconds " +
             std::to_string(seconds) + " --seed " + std::to_string(i) + " > /dev/null 2>&1");
    }
    std::string list;
    for (const auto& l : languages) list += (list.empty() ? "\"" : ", \"") + l + "\"";
    FILE* f = std::fopen((work / "series.toml").c_str(), "w");
    std::fprintf(f, "[series]\nfrom = \"en\"\nto = [%s]\nepisodes = [\"episodes/ep*.mp4\"]\nburn_in = [%s]\n\n[mix]\nstems = true\n", list.c_str(),
                 list.c_str());
    std::fclose(f);
    const fs::path series = work / "series.toml";
    const double render = bench::seconds_of([&] { bench::must(bench::quote(dramaloc) + " run " + bench::quote(series.string()) + " > /dev/null 2>&1"); });

    // Every version approved at the revisions it was rendered at.
    int versions = 0;
    for (const auto& entry : fs::directory_iterator(work / "out")) {
        if (!entry.is_directory()) continue;
        const std::string episode = entry.path().filename().string();
        for (const auto& [language, script] : pipeline::published_scripts(entry.path())) {
            if (language == "en") continue;
            series::Review review{episode, language, "approved", "bench", "bench", "2026-12-07T10:00:00Z", {}};
            for (const auto& line : script.lines) review.revisions[line.id] = line.revision;
            series::record_review(work / "out", review);
            ++versions;
        }
    }
    std::printf("delivery: %d episodes x %d s into %zu languages (%d versions), every language burned in, stems kept\n", episodes, seconds,
                languages.size(), versions);
    bench::row("render (dramaloc run, first run)", bench::fmt("%.1f s", render), "the baseline, measured in this run");
    for (const char* profile : {"phone-app", "social-vertical", "ott", "broadcast"}) {
        const fs::path to = work / (std::string("to-") + profile);
        const double took = bench::seconds_of([&] {
            bench::must(bench::quote(dramaloc) + " deliver " + bench::quote(series.string()) + " --profile " + profile + " --to " +
                 bench::quote(to.string()) + " > " + bench::quote((work / (std::string(profile) + ".log")).string()) + " 2>&1");
        });
        const double again = bench::seconds_of([&] {
            bench::must(bench::quote(dramaloc) + " deliver " + bench::quote(series.string()) + " --profile " + profile + " --to " +
                 bench::quote(to.string()) + " > /dev/null 2>&1");
        });
        bench::row(std::string(profile) + ": delivery", bench::fmt("%.1f s", took),
                   bench::fmt("%.1f %% of render (aim <= 10 %% where the picture is copied)", 100.0 * took / render));
        bench::row(std::string(profile) + ": again (nothing to make)", bench::fmt("%.2f s", again), bench::fmt("%.2f %% of render", 100.0 * again / render));
    }
    return 0;
}
