#include "cli/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace dramaloc::cli {

using Clock = std::chrono::steady_clock;

Progress::Progress(std::string label, bool quiet)
    : label_(std::move(label)), quiet_(quiet), tty_(::isatty(STDERR_FILENO) != 0), start_(Clock::now()),
      last_print_(start_) {}

Progress::~Progress() {
    if (tty_ && !quiet_ && last_percent_ >= 0 && !finished_) std::fputc('\n', stderr);
}

void Progress::update(double fraction) {
    if (quiet_ || finished_) return;
    fraction = std::clamp(fraction, 0.0, 1.0);
    const int percent = static_cast<int>(fraction * 100.0);
    const auto now = Clock::now();
    if (percent == last_percent_) return;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    if (tty_) {
        char eta[32] = "";
        if (fraction > 0.02) std::snprintf(eta, sizeof eta, " ETA %ds", static_cast<int>(elapsed / fraction - elapsed));
        const int width = 30;
        const int filled = static_cast<int>(fraction * width);
        std::fprintf(stderr, "\r%s [%.*s%*s] %3d%%%s   ", label_.c_str(), filled, "##############################",
                     width - filled, "", percent, eta);
        std::fflush(stderr);
    } else {
        // Not a terminal: a line at most every 5 s, so logs stay readable.
        if (now - last_print_ < std::chrono::seconds(5) && last_percent_ >= 0) return;
        std::fprintf(stderr, "%s: %d%%\n", label_.c_str(), percent);
        last_print_ = now;
    }
    last_percent_ = percent;
}

void Progress::done() {
    if (quiet_ || finished_) return;
    finished_ = true;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    if (tty_) std::fprintf(stderr, "\r%s done in %.1fs%*s\n", label_.c_str(), elapsed, 40, "");
    else std::fprintf(stderr, "%s: done in %.1fs\n", label_.c_str(), elapsed);
}

}  // namespace dramaloc::cli
