#pragma once
// A bounded parallel loop for stages that fan out (lines, languages, ASR chunks).
// The first exception stops the remaining items from starting and is rethrown on the
// caller's thread after every running item has finished (so nothing outlives the call).
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/cancel.hpp"

namespace dramaloc {

// The number of workers for a `--jobs` value: itself when positive, else the core count.
inline int resolve_jobs(int jobs) {
    return jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Calls body(worker_index, item_index) for every item in [0, count), on at most `jobs`
// threads. Workers are numbered 0..jobs-1 so callers can keep one engine per worker.
template <typename Body>
void parallel_for(std::size_t count, int jobs, Body&& body) {
    const std::size_t workers = std::max<std::size_t>(1, std::min<std::size_t>(count, static_cast<std::size_t>(std::max(1, jobs))));
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto run = [&](std::size_t worker) {
        for (;;) {
            if (failed.load()) return;
            const std::size_t i = next.fetch_add(1);
            if (i >= count) return;
            try {
                throw_if_cancelled();
                body(worker, i);
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
                failed.store(true);
                return;
            }
        }
    };
    if (workers == 1) {
        run(0);
    } else {
        std::vector<std::jthread> threads;
        for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(run, w);
        run(0);
    }  // joined here
    if (error) std::rethrow_exception(error);
}

}  // namespace dramaloc
