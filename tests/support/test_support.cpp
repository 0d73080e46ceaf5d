#include "support/test_support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

namespace dramaloc::test {

namespace fs = std::filesystem;

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    const char* base = std::getenv("DRAMALOC_TEST_TMP");
    fs::path root = base ? fs::path(base) : fs::path(DRAMALOC_TEST_TMP_DEFAULT);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "test";
    std::replace(name.begin(), name.end(), '/', '_');
    path_ = root / (name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    if (!std::getenv("DRAMALOC_KEEP_TEST_FILES")) {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
}

namespace {
std::string drain(int fd) {
    std::string out;
    char buf[8192];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
}
}  // namespace

pid_t start_background(const std::vector<std::string>& argv, const fs::path& log) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::setpgid(0, 0);
        const int null = ::open("/dev/null", O_RDONLY);
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (null < 0 || out < 0) _exit(126);
        ::dup2(null, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        _exit(127);
    }
    return pid;
}

void wait_until_ready(pid_t pid, const std::function<bool()>& ready, const fs::path& log, const std::string& what,
                      std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ready()) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) throw std::runtime_error(what + " did not start: " + read_file(log));
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error(what + " did not answer within " + std::to_string(timeout.count()) + " s: " + read_file(log));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

CommandResult run_command(const std::vector<std::string>& argv) {
    int out_pipe[2], err_pipe[2];
    if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int devnull = ::open("/dev/null", O_RDONLY);
        ::dup2(devnull, 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        ::close(out_pipe[0]);
        ::close(err_pipe[0]);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        _exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    CommandResult r;
    std::thread err_reader([&] { r.err = drain(err_pipe[0]); });
    r.out = drain(out_pipe[0]);
    err_reader.join();
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return r;
}

CommandResult run_dramaloc(std::vector<std::string> args) {
    args.insert(args.begin(), dramaloc_binary());
    return run_command(args);
}

int count_lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

std::string dramaloc_binary() {
    const char* bin = std::getenv("DRAMALOC_BIN");
    return bin ? bin : DRAMALOC_BIN_DEFAULT;
}

std::filesystem::path source_dir() {
    const char* dir = std::getenv("DRAMALOC_SOURCE_DIR");
    return dir ? fs::path(dir) : fs::path(DRAMALOC_SOURCE_DIR_DEFAULT);
}

std::vector<std::string> list_files(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir).string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const fs::path& path, const std::string& contents) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << contents;
}

std::filesystem::path stage_artifact(const std::filesystem::path& store, const nlohmann::json& manifest, const std::string& stage,
                                     const std::string& scope) {
    for (const auto& s : manifest.at("run").at("stages"))
        if (s.at("stage") == stage && (scope.empty() || s.at("scope") == scope)) {
            const std::string key = s.at("key");
            return store / key.substr(0, 2) / key;
        }
    return {};
}

std::string reference_script_srt(const nlohmann::json& reference) {
    const auto clock = [](long ms) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld,%03ld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
        return std::string(buf);
    };
    std::string srt;
    int n = 0;
    for (const auto& line : reference.at("script").at("lines"))
        srt += std::to_string(++n) + "\n" + clock(line.at("start_ms").get<long>()) + " --> " + clock(line.at("end_ms").get<long>()) + "\n" +
               line.at("text").get<std::string>() + "\n\n";
    return srt;
}

}  // namespace dramaloc::test
