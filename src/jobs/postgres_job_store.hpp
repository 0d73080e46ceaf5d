#pragma once
#include <memory>
#include <string>

#include "jobs/job_store.hpp"

namespace dramaloc::jobs {

// A PostgreSQL database (libpqxx): workers on many machines claim with FOR UPDATE SKIP
// LOCKED; leases and run_after use the server's clock, so the machines' clocks need not agree.
std::unique_ptr<JobStore> open_postgres_job_store(const std::string& url);

}  // namespace dramaloc::jobs
