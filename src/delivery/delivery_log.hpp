#pragma once
// What was delivered where: one row per episode × language × profile × destination, the
// latest delivery of it, kept in the series' database beside its jobs (the table
// dramaloc_deliveries, SQLite or PostgreSQL; store/database.hpp). A row is written only after
// the version's manifest is in place, so a package without a manifest (a delivery stopped
// midway, on a folder or on S3) is never listed as delivered.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dramaloc::delivery {

struct DeliveryRecord {
    std::string series;  // as the job store names it (jobs::series_identity: the series file's canonical path)
    std::string episode, language;
    std::string profile;
    int profile_version = 0;
    std::string destination;      // the delivery folder (absolute), or s3://BUCKET[/PREFIX]
    std::string manifest;         // where the version's manifest is: a path, or s3://BUCKET/KEY
    std::string manifest_sha256;  // of the manifest as written
    std::string approved_by, approved_at;
    std::int64_t delivered_ms = 0;  // when it was delivered (ms since the epoch)
};

class DeliveryLog {
public:
    virtual ~DeliveryLog() = default;
    // Records a delivery; one of the same version, profile and destination is replaced.
    virtual void record(const DeliveryRecord& delivery) = 0;
    // The deliveries of `series` (empty: of every series), by episode, language, profile and
    // destination.
    virtual std::vector<DeliveryRecord> list(const std::string& series) = 0;
    virtual std::string describe() const = 0;
};

// A store URL as the job store takes it. Makes the table when it is missing. Throws ConfigError
// for a URL it cannot use, EngineError when the server cannot be reached, IoError when the file
// cannot be opened.
std::unique_ptr<DeliveryLog> open_delivery_log(const std::string& url);

}  // namespace dramaloc::delivery
