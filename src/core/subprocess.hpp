#pragma once
// Child processes, the one way dramaloc starts them: a helper program (apertium's shell
// pipeline) run without a shell, or a function run in a forked copy of this process (an
// engine whose library keeps state that must start fresh each time: espeak-ng). Either way
// stdin is fed while stdout/stderr are drained (poll, so neither side can block the other
// on a full pipe), and Ctrl-C (core cancellation) or a time limit kills the child's whole
// process group within 100 ms. Safe to call from several threads at once: every pipe is
// close-on-exec, so a concurrent spawn never inherits another call's pipe ends.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc {

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

// Runs `work(out_fd)` in a forked child, which then exits (0, or 1 when `work` throws);
// returns what it wrote to `out_fd` and its exit code. `work` runs in a copy of a process that
// may have other threads: it may use only what fork leaves usable (its own memory, the
// libraries' state as it was, async-signal-safe calls), and callers serialise what the
// library needs. Throws as run_process; `what` names the work in messages.
ProcessResult run_in_child(const std::function<void(int out_fd)>& work, std::string_view what,
                           std::chrono::milliseconds time_limit);

// The absolute path of `name` in $PATH, or "" when not found / not executable.
std::string find_in_path(std::string_view name);

// This machine's name (gethostname), "localhost" when it has none.
std::string host_name();

// Whether process `pid` of this machine exists (possibly another user's). False for pid <= 0.
bool process_exists(long pid);

}  // namespace dramaloc
