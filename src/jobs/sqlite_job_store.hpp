#pragma once
#include <filesystem>
#include <memory>

#include "jobs/job_store.hpp"

namespace dramaloc::jobs {

// A SQLite file (created with its tables when missing), in WAL mode so that readers
// (status) never wait for a claim.
std::unique_ptr<JobStore> open_sqlite_job_store(const std::filesystem::path& file);

}  // namespace dramaloc::jobs
