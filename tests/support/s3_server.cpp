#include "support/s3_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/test_support.hpp"

namespace dramaloc::test {

namespace fs = std::filesystem;

namespace {

int free_port() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(s);
        throw std::runtime_error("no free port on 127.0.0.1");
    }
    ::close(s);
    return ntohs(a.sin_port);
}

bool accepts(int port) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
}

}  // namespace

S3Server::S3Server() {
    const fs::path script = source_dir() / "tests" / "s3server" / "node_modules" / "s3rver" / "bin" / "s3rver.js";
    if (!fs::exists(script)) throw std::runtime_error(script.string() + " is missing: run scripts/install-deps.sh (it installs s3rver with npm ci)");
    const std::string node = run_command({"sh", "-c", "command -v node || command -v nodejs"}).out;
    if (node.empty()) throw std::runtime_error("Node.js is not installed: run scripts/install-deps.sh");
    char name[] = "/tmp/dramaloc-s3-XXXXXX";
    if (!::mkdtemp(name)) throw std::runtime_error("mkdtemp failed");
    dir_ = name;
    port_ = free_port();
    const std::vector<std::string> argv = {node.substr(0, node.find('\n')), script.string(), "-d", dir_.string(), "-a", "127.0.0.1",
                                           "-p", std::to_string(port_), "--configure-bucket", kBucket, "--silent"};
    pid_ = start_background(argv, dir_ / "server.log");
    wait_until_ready(pid_, [&] { return accepts(port_); }, dir_ / "server.log", "s3rver");
}

S3Server::~S3Server() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

void S3Server::export_environment() const {
    ::setenv("DRAMALOC_S3_ENDPOINT", endpoint().c_str(), 1);
    ::setenv("AWS_ACCESS_KEY_ID", "S3RVER", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "S3RVER", 1);
    ::unsetenv("AWS_ENDPOINT_URL");
}

S3Server& shared_s3() {
    static std::unique_ptr<S3Server> server = std::make_unique<S3Server>();
    return *server;
}

}  // namespace dramaloc::test
