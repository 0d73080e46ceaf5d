// Ctrl-C (SIGINT) and SIGTERM end a run within 2 s whatever it waits on — here a translation
// server that accepts the connection and never answers — leave no partial output and a
// consistent artifact store, and the next run resumes from the finished stages.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <thread>

#include "sample/sample.hpp"
#include "support/fake_openai_server.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
namespace fs = std::filesystem;

namespace {

// A TCP port on 127.0.0.1 that takes connections (the kernel completes the handshake) and
// never reads or answers: a model server that hangs.
class SilentServer {
public:
    SilentServer() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(fd_, 64) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
            throw std::runtime_error("cannot listen on 127.0.0.1");
        port_ = ntohs(address.sin_port);
    }
    ~SilentServer() { ::close(fd_); }
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }
    // True once a client has connected (a connection waits to be accepted), within `timeout`.
    bool connected_within(std::chrono::milliseconds timeout) const {
        pollfd p{fd_, POLLIN, 0};
        return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1;
    }

private:
    int fd_ = -1;
    int port_ = 0;
};

pid_t start_dramaloc(const std::vector<std::string>& args) {
    std::vector<std::string> argv{dramaloc_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> c;
        for (auto& a : argv) c.push_back(a.data());
        c.push_back(nullptr);
        ::execv(c[0], c.data());
        ::_exit(127);
    }
    return pid;
}

struct Ended {
    int exit_code = -1;
    double seconds = 0;
};

// Sends `signal` and waits for the process to end.
Ended stop(pid_t pid, int signal) {
    const auto sent = std::chrono::steady_clock::now();
    ::kill(pid, signal);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count()};
}

}  // namespace

class Interrupt : public ::testing::TestWithParam<int> {};

TEST_P(Interrupt, EndsARunWaitingOnAServerThatNeverAnswersWithinTwoSecondsAndTheNextRunResumes) {
    TempDir dir;
    sample::SampleOptions o;
    o.seconds = 8;
    o.width = 360;
    o.height = 640;
    sample::make_sample(dir / "ep.mp4", o);
    SilentServer silent;
    const auto config = [&](const std::string& url) {
        write_file(dir / "engines.toml", "[engines.translate]\nbackend = \"openai\"\nurl = \"" + url +
                                             "\"\nmodel = \"llm\"\ntimeout_s = 600\nmax_retries = 0\n");
    };
    config(silent.base_url());
    const std::vector<std::string> args = {"localize", (dir / "ep.mp4").string(), "--to", "es", "--config",
                                           (dir / "engines.toml").string(), "--out", (dir / "out").string(), "-q"};
    const pid_t pid = start_dramaloc(args);
    ASSERT_GT(pid, 0);
    // The source stages run first (decode, speech, recognition), then the translation request.
    ASSERT_TRUE(silent.connected_within(std::chrono::seconds(120))) << "dramaloc never asked the translator";
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the request is out, the answer never comes
    const Ended ended = stop(pid, GetParam());
    EXPECT_EQ(ended.exit_code, 130);
    EXPECT_LE(ended.seconds, 2.0) << "the run took " << ended.seconds << " s to stop";
    // Nothing half-written: no outputs, no temporaries in the store.
    if (fs::exists(dir / "out" / "ep")) {
        for (const auto& f : list_files(dir / "out" / "ep")) ADD_FAILURE() << "left behind: " << f;
    }
    if (fs::exists(dir / "out" / ".dramaloc-store" / "tmp")) {
        EXPECT_TRUE(list_files(dir / "out" / ".dramaloc-store" / "tmp").empty());
    }

    // With a server that answers, the next run finishes, reusing what the first one finished.
    FakeOpenAiServer server;
    config(server.base_url());
    const auto r = run_dramaloc(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"((\d+) stages computed, (\d+) reused)"))) << r.out;
    EXPECT_GE(std::stoi(m[2].str()), 4) << r.out;  // decode, speech regions, transcription, source script
    EXPECT_TRUE(fs::exists(dir / "out" / "ep" / "ep.es.srt"));
}

INSTANTIATE_TEST_SUITE_P(Signals, Interrupt, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& p) { return std::string(p.param == SIGINT ? "sigint" : "sigterm"); });
