#pragma once
// A throwaway PostgreSQL server for tests: a cluster made with initdb in a temporary folder,
// started on a Unix socket only (no TCP port to collide with), stopped and removed at the
// end. As root it runs as the `postgres` user, as PostgreSQL requires. The server is
// Debian's (scripts/install-deps.sh installs it); when it is missing the test fails saying
// so, it does not skip.
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace dramaloc::test {

class PostgresServer {
public:
    PostgresServer();  // throws std::runtime_error saying what is missing or what failed
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // A new empty database on this server, as a postgresql:// URL for libpq.
    std::string create_database();
    std::string url(const std::string& database) const;
    pid_t pid() const { return pid_; }

private:
    std::filesystem::path dir_;  // data/ and the socket
    std::filesystem::path bin_;
    pid_t pid_ = -1;
    int databases_ = 0;
};

// One server for the whole test program, started on first use.
PostgresServer& shared_postgres();

// A store URL for a test parameterized over the two databases: a fresh database of the shared
// cluster for "postgresql", else a SQLite file named `file` in `dir`.
std::string store_url_for(const std::string& backend, const std::filesystem::path& dir, const std::string& file = "jobs.db");

}  // namespace dramaloc::test
