#include "support/postgres_server.hpp"

#include <signal.h>
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

// Debian's server binaries live in /usr/lib/postgresql/VERSION/bin; the newest one present.
fs::path server_bin_dir() {
    fs::path best;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec))
        if (fs::exists(entry.path() / "bin" / "initdb") && (best.empty() || entry.path() > best.parent_path()))
            best = entry.path() / "bin";
    if (best.empty())
        throw std::runtime_error("PostgreSQL server not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/install-deps.sh");
    return best;
}

bool running_as_root() { return ::geteuid() == 0; }

// argv run as the postgres user when we are root (initdb and postgres refuse root).
std::vector<std::string> as_server_user(std::vector<std::string> argv) {
    if (!running_as_root()) return argv;
    std::vector<std::string> out = {"runuser", "-u", "postgres", "--"};
    out.insert(out.end(), argv.begin(), argv.end());
    return out;
}

void check(const CommandResult& r, const std::string& what) {
    if (r.exit_code != 0) throw std::runtime_error(what + " failed (" + std::to_string(r.exit_code) + "): " + r.err + r.out);
}

}  // namespace

PostgresServer::PostgresServer() : bin_(server_bin_dir()) {
    // Short, under /tmp: a Unix socket path must stay under 108 bytes.
    char name[] = "/tmp/dramaloc-pg-XXXXXX";
    if (!::mkdtemp(name)) throw std::runtime_error("mkdtemp failed");
    dir_ = name;
    if (running_as_root()) check(run_command({"chown", "postgres:postgres", dir_.string()}), "chown");
    check(run_command(as_server_user({(bin_ / "initdb").string(), "-D", (dir_ / "data").string(), "-U", "dramaloc", "-A", "trust",
                                      "-E", "UTF8", "--no-sync", "--no-instructions"})),
          "initdb");
    const std::vector<std::string> argv =
        as_server_user({(bin_ / "postgres").string(), "-D", (dir_ / "data").string(), "-k", dir_.string(), "-c", "listen_addresses=",
                        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=100"});
    pid_ = start_background(argv, dir_ / "server.log");
    wait_until_ready(
        pid_, [&] { return run_command({(bin_ / "pg_isready").string(), "-q", "-h", dir_.string(), "-p", "5432"}).exit_code == 0; },
        dir_ / "server.log", "PostgreSQL");
}

PostgresServer::~PostgresServer() {
    if (pid_ > 0) {
        // Immediate shutdown: nothing here needs to survive. The postmaster's own pid is the first
        // line of postmaster.pid (as root it runs under runuser, which does not pass signals on).
        const std::string pidfile = read_file(dir_ / "data" / "postmaster.pid");
        const long postmaster = std::strtol(pidfile.c_str(), nullptr, 10);
        if (postmaster > 0) ::kill(static_cast<pid_t>(postmaster), SIGQUIT);
        ::kill(-pid_, SIGQUIT);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

std::string PostgresServer::url(const std::string& database) const {
    return "postgresql:///" + database + "?host=" + dir_.string() + "&port=5432&user=dramaloc";
}

std::string PostgresServer::create_database() {
    const std::string name = "test" + std::to_string(::getpid()) + "_" + std::to_string(databases_++);
    check(run_command({(bin_ / "createdb").string(), "-h", dir_.string(), "-p", "5432", "-U", "dramaloc", name}), "createdb");
    return url(name);
}

PostgresServer& shared_postgres() {
    static std::unique_ptr<PostgresServer> server = std::make_unique<PostgresServer>();
    return *server;
}

std::string store_url_for(const std::string& backend, const std::filesystem::path& dir, const std::string& file) {
    return backend == "postgresql" ? shared_postgres().create_database() : "sqlite:" + (dir / file).string();
}

}  // namespace dramaloc::test
