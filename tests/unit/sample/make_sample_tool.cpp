// A manual tool (not a test): generates one sample and prints how long it took.
// usage: make_sample_tool OUT.mp4 SECONDS [plain|striped|busy] [zh] [seed]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "sample/sample.hpp"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s OUT.mp4 SECONDS [plain|striped|busy] [zh] [seed]\n", argv[0]);
        return 2;
    }
    dramaloc::sample::SampleOptions options;
    options.seconds = std::atoi(argv[2]);
    if (argc > 3) options.background = dramaloc::sample::background_from_string(argv[3]).value_or(dramaloc::sample::Background::Plain);
    if (argc > 4 && std::string(argv[4]) == "zh") options.hardsubs_language = "zh";
    if (argc > 5) options.seed = std::strtoull(argv[5], nullptr, 10);
    const auto start = std::chrono::steady_clock::now();
    try {
        const auto result = dramaloc::sample::make_sample(argv[1], options);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("%s: %lld frames, %zu lines, %.1f s\n", result.video.c_str(),
                    static_cast<long long>(result.contents.frames), result.contents.script.lines.size(), s);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
