#pragma once
// What every benchmark program shares: timing a piece of work, quoting for the shell, and
// printing a row "figure  value  target / notes" in the one table layout bench/README.md uses.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace dramaloc::bench {

inline double seconds_of(const std::function<void()>& work) {
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline double best_of(int runs, const std::function<void()>& work) {
    double best = 1e30;
    for (int i = 0; i < runs; ++i) best = std::min(best, seconds_of(work));
    return best;
}

// Single-quoted for /bin/sh.
inline std::string quote(const std::string& s) {
    std::string out = "'";
    for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs a shell command; one line and exit 1 when it fails.
inline void must(const std::string& command) {
    std::fflush(stdout);  // what was printed comes before the command's own output
    if (std::system(command.c_str()) != 0) {
        std::fprintf(stderr, "bench: failed: %s\n", command.c_str());
        std::exit(1);
    }
}

// "es,fr,pt" as a list (empty parts dropped).
inline std::vector<std::string> split(const std::string& list) {
    std::vector<std::string> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

inline void row(const std::string& figure, const std::string& value, const std::string& notes = {}) {
    std::printf("%-46s %14s   %s\n", figure.c_str(), value.c_str(), notes.c_str());
}

inline std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

}  // namespace dramaloc::bench
