// translate_bench [LINES] [LATENCY_MS] — the network translator against the local
// OpenAI-compatible server of the tests (tests/support/fake_openai_server.hpp) with a fixed
// added latency per answer: requests per line and wall time at 1, 4 and 16 requests in
// flight, so the share of latency that concurrency hides shows; then the same with one
// answer in five malformed. Prints figures; exits 0 unless something failed outright.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "bench_report.hpp"
#include "engines/openai/openai_translator.hpp"
#include "support/fake_openai_server.hpp"

using namespace dramaloc;
using namespace dramaloc::bench;

int main(int argc, char** argv) {
    try {
        const int lines = argc > 1 ? std::atoi(argv[1]) : 120;
        const int latency = argc > 2 ? std::atoi(argv[2]) : 200;
        std::vector<std::string> texts;
        for (int i = 1; i <= lines; ++i) texts.push_back("第" + std::to_string(i) + "句台词。");
        std::printf("== translation over HTTP (%d lines, batches of 4, %d ms added per answer) ==\n", lines, latency);
        std::printf("%-46s %14s   %s\n", "figure", "value", "target / notes");
        double serial = 0;
        for (const bool faults : {false, true}) {
            for (const int concurrency : {1, 4, 16}) {
                test::FakeOpenAiServer server;
                server.set_latency_ms(latency);
                engines::EngineSettings s = server.engine("bench");
                s.batch_lines = 4;
                s.max_concurrency = concurrency;
                engines::OpenAiTranslator translator(s);
                if (faults) {
                    // One answer in five malformed, spread over the run.
                    std::vector<test::Fault> pattern;
                    for (int i = 0; i < lines / 4; ++i)
                        if (i % 5 == 0) pattern.push_back(test::Fault::Malformed);
                    server.queue(pattern);
                }
                std::vector<std::string> out;
                const double wall = seconds_of([&] { out = translator.translate(texts, "zh", "en"); });
                if (concurrency == 1 && !faults) serial = wall;
                const auto stats = translator.stats();
                row(std::string(faults ? "with bad answers, " : "") + std::to_string(concurrency) + " in flight: wall time",
                    fmt("%.2f s", wall),
                    fmt("%.2f requests per line; ", static_cast<double>(server.requests()) / lines) +
                        fmt("%.2fx the 1-in-flight clean run; ", wall / serial) + std::to_string(stats.rejected) +
                        " answers rejected, " + std::to_string(stats.lines_kept) + " lines kept untranslated");
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "translate_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
