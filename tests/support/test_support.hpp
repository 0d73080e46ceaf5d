#pragma once
// Shared helpers for tests: a fresh temporary folder per test, running the CLI.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dramaloc::test {

// A new empty folder under $DRAMALOC_TEST_TMP (or the system temp folder), removed
// when the object dies unless DRAMALOC_KEEP_TEST_FILES is set.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

// Runs argv (no shell) with stdin from /dev/null and captures its output.
CommandResult run_command(const std::vector<std::string>& argv);

// Starts argv (no shell) in the background in its own process group, stdin from /dev/null,
// stdout and stderr into `log`; returns its pid. For the servers tests start.
pid_t start_background(const std::vector<std::string>& argv, const std::filesystem::path& log);

// Waits until `ready()` or `timeout`, checking that the background process `pid` is alive:
// throws std::runtime_error with `what` and the end of `log` when it exited or never got ready.
void wait_until_ready(pid_t pid, const std::function<bool()>& ready, const std::filesystem::path& log, const std::string& what,
                      std::chrono::seconds timeout = std::chrono::seconds(30));

// Runs the dramaloc binary under test with `args`.
CommandResult run_dramaloc(std::vector<std::string> args);

// Number of '\n' in `s` (a one-line error message has exactly one).
int count_lines(const std::string& s);

// Path to the dramaloc binary under test ($DRAMALOC_BIN, else the one this build made).
std::string dramaloc_binary();

// The source tree ($DRAMALOC_SOURCE_DIR, else the one this build came from).
std::filesystem::path source_dir();

// Files in `dir` (recursively), as paths relative to it, sorted.
std::vector<std::string> list_files(const std::filesystem::path& dir);

// The artifact folder of the stage `stage` (and `scope`, when given) that `manifest` (an
// episode's manifest.json) records, in the artifact store `store`; empty when there is none.
// The studio's script of a generated sample (its reference OUT.json, "script"), as an SRT:
// what a test gives as the source when the picture's burned-in text is not the words spoken.
std::string reference_script_srt(const nlohmann::json& reference);

std::filesystem::path stage_artifact(const std::filesystem::path& store, const nlohmann::json& manifest, const std::string& stage,
                                     const std::string& scope = {});

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& contents);

}  // namespace dramaloc::test
