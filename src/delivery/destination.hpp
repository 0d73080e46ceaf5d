#pragma once
// Where a delivery goes: a folder, or an S3-compatible bucket (s3://BUCKET[/PREFIX], with the
// object store's endpoint and keys from the environment: store/object_store.hpp). Either way a
// version's files are made in a workspace, then put in place one by one, its manifest last;
// on a folder a put is a rename, on S3 an upload (a PUT is atomic), so a package is never
// seen with a manifest and without its files.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace dramaloc::delivery {

class Destination {
public:
    virtual ~Destination() = default;
    // The manifest at `rel` (FOLDER/NAME under the destination), when there is one that reads.
    virtual std::optional<nlohmann::json> manifest(const std::string& rel) const = 0;
    // Whether the files `manifest` (at `rel`) names are there as it says: a folder checks their
    // sizes; on S3 the manifest, put last, says they are.
    virtual bool holds(const std::string& rel, const nlohmann::json& manifest) const = 0;
    // An empty folder to make the version whose manifest is `rel` in: beside the delivered
    // files on a folder (so a put is a rename), a local temporary one for S3. What a delivery
    // stopped midway left there is removed first.
    virtual std::filesystem::path workspace(const std::string& rel) const = 0;
    // Puts `file` (in the workspace) at `rel`.
    virtual void put(const std::filesystem::path& file, const std::string& rel) const = 0;
    // Where `rel` is, for people and the delivery log: a path, or s3://BUCKET/KEY.
    virtual std::string where(const std::string& rel) const = 0;
    // The destination itself: the folder's absolute path, or s3://BUCKET[/PREFIX].
    virtual std::string root() const = 0;
};

// `to`: a folder (made when missing) or s3://BUCKET[/PREFIX]. Throws ConfigError for an S3
// URL without a bucket or keys.
std::unique_ptr<Destination> open_destination(const std::string& to);

}  // namespace dramaloc::delivery
