#pragma once
// Running a helper program (apertium's shell pipeline) without a shell: argv is executed
// directly, stdin is fed while stdout/stderr are drained (poll, so neither side can block
// the other on a full pipe), and core cancellation or a time limit kills the whole process
// group. Safe to call from several threads at once: every pipe is close-on-exec, so a
// concurrent spawn never inherits another call's pipe ends.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc::engines::apertium {

struct ProcessResult {
    int exit_code = -1;  // 128 + signal number when the child was killed by a signal
    std::string out;
    std::string err;
};

// Runs argv[0] (a path, or a name looked up in PATH) with `input` on stdin.
// Throws EngineError when it cannot be started or exceeds `time_limit`, Cancelled when the
// user cancels (the child is killed in both cases).
ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input,
                          std::chrono::milliseconds time_limit);

// The absolute path of `name` in $PATH, or "" when not found / not executable.
std::string find_in_path(std::string_view name);

}  // namespace dramaloc::engines::apertium
