#include "jobs/job_store.hpp"

#include <chrono>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.hpp"
#include "core/subprocess.hpp"
#include "jobs/postgres_job_store.hpp"
#include "jobs/sqlite_job_store.hpp"

namespace dramaloc::jobs {

std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

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

std::string redact_url(const std::string& url_in) {
    // ...?password=secret&... → ...?password=***&...
    std::string url = url_in;
    for (std::size_t at = url.find("password="); at != std::string::npos; at = url.find("password=", at + 1)) {
        const std::size_t from = at + 9, to = url.find('&', from);
        url.replace(from, (to == std::string::npos ? url.size() : to) - from, "***");
    }
    // scheme://user:password@host/... → scheme://user:***@host/...
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return url;
    const auto at = url.find('@', scheme_end + 3);
    const auto slash = url.find('/', scheme_end + 3);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
    const auto colon = url.find(':', scheme_end + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

StoreLocation store_location(const std::string& url) {
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return {true, ""};
    std::string path = url;
    if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
    if (path.empty() || path.find("://") != std::string::npos)
        throw ConfigError("--db " + redact_url(url) + ": use postgresql://USER@HOST/DB for PostgreSQL, or a file path (sqlite:PATH) for SQLite");
    return {false, path};
}

std::unique_ptr<JobStore> open_job_store(const std::string& url) {
    const auto where = store_location(url);
    return where.postgres ? open_postgres_job_store(url) : open_sqlite_job_store(where.sqlite_file);
}

}  // namespace dramaloc::jobs
