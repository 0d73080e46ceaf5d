// The job store's own costs (bench/README.md, "Factory"), for one store URL:
//   jobs_bench URL [JOBS] [HEARTBEAT_MS]
// 1. claim + complete throughput for empty jobs: one worker process, then four at once
//    (the baseline is the single worker, measured in the same run);
// 2. recovery after a worker's SIGKILL: from the kill to another worker's claim of its job,
//    against the target of 2 × the heartbeat.
// Prints figures; nothing is pass/fail.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "jobs/job_store.hpp"

using namespace dramaloc::jobs;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void add_jobs(JobStore& store, const std::string& prefix, int n) {
    std::vector<JobSpec> jobs;
    for (int i = 0; i < n; ++i) {
        JobSpec j;
        j.key = prefix + std::to_string(i);
        j.kind = "empty";
        j.series = prefix;
        jobs.push_back(std::move(j));
        if (jobs.size() == 1000 || i + 1 == n) {
            store.add(jobs);
            jobs.clear();
        }
    }
}

// Jobs per second claimed and completed by `workers` processes, each with its own connection.
double throughput(const std::string& url, const std::string& prefix, int n, int workers) {
    add_jobs(*open_job_store(url), prefix, n);
    const auto start = Clock::now();
    std::vector<pid_t> children;
    for (int w = 0; w < workers; ++w) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            auto store = open_job_store(url);
            while (const auto c = store->claim("bench" + std::to_string(w), std::chrono::seconds(60))) store->complete(*c, "");
            _exit(0);
        }
        children.push_back(pid);
    }
    for (const pid_t pid : children) ::waitpid(pid, nullptr, 0);
    return n / seconds_since(start);
}

// Seconds from a worker's SIGKILL to another worker's claim of the job it held.
double recovery(const std::string& url, const std::string& prefix, std::chrono::milliseconds heartbeat) {
    add_jobs(*open_job_store(url), prefix + "r", 1);
    int ready[2];
    if (::pipe(ready) != 0) return -1;
    const pid_t pid = ::fork();
    if (pid == 0) {
        auto store = open_job_store(url);
        // Named as dramaloc names its workers (HOST:PID/THREAD), so a store can tell its process is gone.
        const auto c = store->claim(local_worker_name(::getpid()) + "/1", heartbeat * 3);
        (void)!::write(ready[1], "x", 1);
        for (;;) {  // a live worker: heartbeats until killed
            std::this_thread::sleep_for(heartbeat);
            store->heartbeat(*c, heartbeat * 3);
        }
    }
    char x;
    (void)!::read(ready[0], &x, 1);
    auto store = open_job_store(url);
    std::this_thread::sleep_for(heartbeat * 2);  // killed some time after a heartbeat
    const auto killed = Clock::now();
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    // Another worker looks for work as an idle `dramaloc worker` does (every 500 ms).
    while (!store->claim(local_worker_name(::getpid()), std::chrono::seconds(60))) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    return seconds_since(killed);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: jobs_bench URL [JOBS] [HEARTBEAT_MS]\n");
        return 2;
    }
    const std::string url = argv[1];
    const int n = argc > 2 ? std::atoi(argv[2]) : 5000;
    const auto heartbeat = std::chrono::milliseconds(argc > 3 ? std::atoi(argv[3]) : 1000);
    const std::string prefix = "bench-" + std::to_string(::getpid()) + "-";
    try {
        const auto store = open_job_store(url);
        const double one = throughput(url, prefix + "a", n, 1);
        const double four = throughput(url, prefix + "b", n, 4);
        const double rec = recovery(url, prefix, heartbeat);
        std::printf("%-34s %10s %10s\n", store->describe().substr(0, 34).c_str(), "figure", "vs");
        std::printf("  claim+complete, 1 worker        %8.0f/s   baseline\n", one);
        std::printf("  claim+complete, 4 workers       %8.0f/s   %.2fx\n", four, four / one);
        std::printf("  recovery after SIGKILL          %8.2f s   target <= %.1f s (2 x heartbeat %.1f s)\n", rec,
                    2.0 * static_cast<double>(heartbeat.count()) / 1000.0, static_cast<double>(heartbeat.count()) / 1000.0);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "jobs_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
