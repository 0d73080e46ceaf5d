// fit_loop_bench DRAMALOC WORKDIR [SECONDS] — the shorten-to-fit loop: a generated episode
// with burned-in Chinese subtitles, translated to English through the tests' local
// OpenAI-compatible server whose translations are deliberately long (about twice what a
// slot holds), dubbed by the embedded espeak-ng. `dramaloc localize` runs with
// [fit] shorten_rounds = 0 and with the default 2; printed: the share of lines whose dub fits
// its slot in each run, and the rounds and requests the loop took.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bench_report.hpp"
#include "bench_sample.hpp"
#include "media/av_handles.hpp"
#include "sample/sample.hpp"
#include "support/fake_openai_server.hpp"

using namespace dramaloc;
using namespace dramaloc::bench;
namespace fs = std::filesystem;
using nlohmann::json;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: fit_loop_bench DRAMALOC WORKDIR [SECONDS]\n");
        return 2;
    }
    try {
        media::set_ffmpeg_log_quiet(true);
        const std::string dramaloc = argv[1];
        const fs::path work = argv[2];
        const int seconds = argc > 3 ? std::atoi(argv[3]) : 60;
        fs::create_directories(work);
        const fs::path episode = work / ("fit-zh-" + std::to_string(seconds) + ".mp4");
        sample::SampleOptions o;
        o.seconds = seconds;
        o.hardsubs_language = "zh";
        const sample::SampleReference ref = sample_once(episode, o);
        test::FakeOpenAiServer server;
        for (std::size_t i = 0; i < ref.hardsubs.size() && i < ref.script.lines.size(); ++i) {
            // The line's English twice over: long, but still the line.
            const std::string en = ref.script.lines[i].text;
            server.translate("en", ref.hardsubs[i].lines.at(0), en + " I mean, what I am trying to say is: " + en);
        }
        std::printf("== shorten-to-fit loop (%d s episode, %zu lines, zh -> en, translations about twice too long) ==\n",
                    seconds, ref.hardsubs.size());
        std::printf("%-46s %14s   %s\n", "figure", "value", "target / notes");
        for (const int rounds : {0, 2}) {
            const fs::path config = work / ("fit-" + std::to_string(rounds) + ".toml");
            std::ofstream(config) << "[engines.translate]\nbackend = \"openai\"\nurl = \"" << server.base_url()
                                  << "\"\nmodel = \"bench\"\n\n[fit]\nshorten_rounds = " << rounds << "\n";
            const fs::path out = work / ("fit-out-" + std::to_string(rounds));
            fs::remove_all(out);
            const int before = server.requests();
            const double wall = seconds_of([&] {
                const std::string cmd = quote(dramaloc) + " localize " + quote(episode.string()) + " --from zh --to en --config " +
                                        quote(config.string()) + " --out " + quote(out.string()) + " -q > /dev/null";
                if (std::system(cmd.c_str()) != 0) throw std::runtime_error("dramaloc localize failed: " + cmd);
            });
            const json qc = json::parse(std::ifstream(out / episode.stem() / "qc.json"))["languages"]["en"];
            const int lines = qc["summary"]["lines"].get<int>();
            const int fitting = qc["summary"]["lines_fitting"].get<int>();
            int shortened = 0, total_rounds = 0;
            for (const auto& c : qc["clips"]) {
                shortened += !c["shorten_rounds"].empty();
                total_rounds += static_cast<int>(c["shorten_rounds"].size());
            }
            row(std::string("lines fitting, shorten_rounds = ") + std::to_string(rounds),
                fmt("%.1f %%", 100.0 * fitting / std::max(1, lines)),
                std::to_string(fitting) + "/" + std::to_string(lines) + "; " + std::to_string(shortened) + " lines shortened in " +
                    std::to_string(total_rounds) + " rounds; " + std::to_string(server.requests() - before) + " requests; " +
                    fmt("%.1f s", wall));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fit_loop_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
