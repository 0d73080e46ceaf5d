#pragma once
// Objects on an S3-compatible store (AWS S3, MinIO, Ceph, R2, …), for the artifact store of
// workers on many machines: GET and PUT of whole objects, streamed from and to files,
// through the house's one HTTP client (net/: retries on 5xx, 429 and dropped connections), signed
// with libcurl's own AWS Signature Version 4 (no SDK). Path-style URLs (ENDPOINT/BUCKET/KEY), which
// every S3-compatible server accepts.
//
//   --artifacts s3://BUCKET/PREFIX
//   endpoint  DRAMALOC_S3_ENDPOINT, else AWS_ENDPOINT_URL, else https://s3.REGION.amazonaws.com
//   region    AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1
//   keys      AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
//
// A PUT is atomic on S3 (an object is there whole or not at all), which is what makes the
// artifact store safe across machines (artifact_store.hpp).
#include <filesystem>
#include <memory>
#include <string>

namespace dramaloc::store {

struct S3Location {
    std::string endpoint;  // "http://127.0.0.1:4568", no trailing slash
    std::string bucket;
    std::string prefix;    // "" or "series/heiress" (no leading or trailing slash)
    std::string region = "us-east-1";
    std::string access_key;
    std::string secret_key;
};

// Parses "s3://BUCKET[/PREFIX]" and completes it from the environment. Throws ConfigError
// naming what is missing (the keys, a bucket).
// `option` names where the URL came from in those messages ("--artifacts", "--to").
S3Location s3_location_from_url(const std::string& url, const std::string& option = "--artifacts");

class ObjectStore {
public:
    virtual ~ObjectStore() = default;
    // Writes object `name` to `file` (atomically: a temporary name, then renamed); false when
    // there is no such object.
    virtual bool get(const std::string& name, const std::filesystem::path& file) const = 0;
    virtual void put(const std::string& name, const std::filesystem::path& file) const = 0;
    virtual std::string describe() const = 0;  // "s3://bucket/prefix at endpoint"
};

// Throws EngineError (one line naming the endpoint, without the secret) when the store cannot
// be reached or refuses a request, IoError when a local file cannot be read or written.
std::unique_ptr<ObjectStore> make_s3_object_store(const S3Location& location);

}  // namespace dramaloc::store
