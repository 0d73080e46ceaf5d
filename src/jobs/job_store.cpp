#include "jobs/job_store.hpp"

#include <chrono>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.hpp"
#include "core/subprocess.hpp"
#include "jobs/postgres_job_store.hpp"
#include "jobs/sqlite_job_store.hpp"
#include "store/database.hpp"

namespace dramaloc::jobs {

const char* to_string(JobState state) noexcept {
    switch (state) {
        case JobState::Pending: return "pending";
        case JobState::Running: return "running";
        case JobState::Done: return "done";
        case JobState::Failed: return "failed";
        case JobState::Cancelled: return "cancelled";
    }
    return "pending";
}

std::optional<JobState> job_state_from_string(std::string_view text) noexcept {
    for (const auto s : {JobState::Pending, JobState::Running, JobState::Done, JobState::Failed, JobState::Cancelled})
        if (text == to_string(s)) return s;
    return std::nullopt;
}

std::string local_worker_name(long pid) { return host_name() + ":" + std::to_string(pid); }

std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempt) {
    thread_local std::mt19937_64 random{std::random_device{}()};
    const double exponential = static_cast<double>(policy.base.count()) * std::pow(2.0, std::max(0, attempt - 1));
    const double capped = std::min(exponential, static_cast<double>(policy.cap.count()));
    const double jitter = std::uniform_real_distribution<double>(0.5, 1.0)(random);
    return std::chrono::milliseconds(static_cast<std::int64_t>(capped * jitter));
}

std::unique_ptr<JobStore> open_job_store(const std::string& url) {
    const auto where = store::store_location(url);
    return where.postgres ? open_postgres_job_store(url) : open_sqlite_job_store(where.sqlite_file);
}

}  // namespace dramaloc::jobs
