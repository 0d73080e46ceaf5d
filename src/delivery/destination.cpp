#include "delivery/destination.hpp"

#include <unistd.h>

#include "core/error.hpp"
#include "core/fs.hpp"
#include "store/object_store.hpp"

namespace dramaloc::delivery {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::optional<json> parse_manifest(const fs::path& file) {
    try {
        return json::parse(read_text_file(file));
    } catch (const std::exception&) {
        return std::nullopt;  // damaged or partial: made again
    }
}

void make_folder(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw IoError("cannot create " + dir.string() + ": " + ec.message() + "; check the delivery folder");
}

// The workspace's name for the version whose manifest is `rel`.
std::string workspace_name(const std::string& rel) { return ".partial-" + fs::path(rel).filename().string(); }

class FolderDestination final : public Destination {
public:
    explicit FolderDestination(fs::path root) : root_(fs::absolute(std::move(root))) {}

    std::optional<json> manifest(const std::string& rel) const override {
        if (!fs::exists(root_ / rel)) return std::nullopt;
        return parse_manifest(root_ / rel);
    }
    bool holds(const std::string& rel, const json& manifest) const override {
        try {
            for (const auto& f : manifest.at("files")) {
                std::error_code ec;
                const auto size = fs::file_size((root_ / rel).parent_path() / f.at("name").get<std::string>(), ec);
                if (ec || size != f.at("size").get<std::uintmax_t>()) return false;
            }
            return true;
        } catch (const std::exception&) {
            return false;
        }
    }
    fs::path workspace(const std::string& rel) const override {
        const fs::path dir = (root_ / rel).parent_path() / workspace_name(rel);
        std::error_code ec;
        fs::remove_all(dir, ec);
        make_folder(dir);
        return dir;
    }
    void put(const fs::path& file, const std::string& rel) const override {
        std::error_code ec;
        fs::rename(file, root_ / rel, ec);
        if (ec) throw IoError("cannot move " + file.string() + " to " + (root_ / rel).string() + ": " + ec.message());
    }
    std::string where(const std::string& rel) const override { return (root_ / rel).string(); }
    std::string root() const override { return root_.string(); }

private:
    fs::path root_;
};

class S3Destination final : public Destination {
public:
    explicit S3Destination(const std::string& url)
        : location_(store::s3_location_from_url(url, "--to")), objects_(store::make_s3_object_store(location_)) {}
    ~S3Destination() override {
        std::error_code ec;
        fs::remove_all(local_temp("x").parent_path(), ec);
    }

    std::optional<json> manifest(const std::string& rel) const override {
        const RemoveOnExit temp{local_temp(rel + ".get")};
        make_folder(temp.path);
        if (!objects_->get(rel, temp.path / "manifest.json")) return std::nullopt;
        return parse_manifest(temp.path / "manifest.json");
    }
    bool holds(const std::string&, const json& manifest) const override { return manifest.contains("files"); }
    fs::path workspace(const std::string& rel) const override {
        const fs::path dir = local_temp(rel);
        std::error_code ec;
        fs::remove_all(dir, ec);
        make_folder(dir);
        return dir;
    }
    void put(const fs::path& file, const std::string& rel) const override {
        objects_->put(rel, file);
        std::error_code ec;
        fs::remove(file, ec);
    }
    std::string where(const std::string& rel) const override { return root() + "/" + rel; }
    std::string root() const override { return "s3://" + location_.bucket + (location_.prefix.empty() ? "" : "/" + location_.prefix); }

private:
    // A local folder of this process for `rel` (S3 keys become one flat name).
    static fs::path local_temp(const std::string& rel) {
        std::string flat = rel;
        for (char& c : flat)
            if (c == '/') c = '_';
        return fs::temp_directory_path() / ("dramaloc-deliver-" + std::to_string(::getpid())) / workspace_name(flat);
    }

    store::S3Location location_;
    std::unique_ptr<store::ObjectStore> objects_;
};

}  // namespace

std::unique_ptr<Destination> open_destination(const std::string& to) {
    if (to.rfind("s3://", 0) == 0) return std::make_unique<S3Destination>(to);
    if (to.empty()) throw UsageError("--to: give a delivery folder or s3://BUCKET/PREFIX");
    return std::make_unique<FolderDestination>(to);
}

}  // namespace dramaloc::delivery
