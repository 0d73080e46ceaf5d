#pragma once
// Progress for long work: a redrawn bar with ETA on a terminal, plain lines
// ("stage: 40%") at most every few seconds when stderr is not a terminal (CI, logs).
#include <chrono>
#include <string>

namespace dramaloc::cli {

class Progress {
public:
    explicit Progress(std::string label, bool quiet = false);
    ~Progress();
    void update(double fraction);  // 0..1
    void done();

private:
    std::string label_;
    bool quiet_;
    bool tty_;
    bool finished_ = false;
    int last_percent_ = -1;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_print_;
};

}  // namespace dramaloc::cli
