#include "pipeline/artifact_store.hpp"

#include <unistd.h>

#include <atomic>
#include <system_error>

#include "core/error.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;

ArtifactStore::ArtifactStore(fs::path root) : root_(std::move(root)) {
    std::error_code ec;
    fs::create_directories(root_ / "tmp", ec);
    if (ec) throw IoError("cannot create the artifact store at " + root_.string() + ": " + ec.message());
}

fs::path ArtifactStore::folder_for(const std::string& key) const {
    if (key.size() < 8) throw Error(ErrorKind::Internal, "artifact key too short: \"" + key + "\"");
    return root_ / key.substr(0, 2) / key;
}

std::optional<fs::path> ArtifactStore::find(const std::string& key) const {
    const fs::path folder = folder_for(key);
    std::error_code ec;
    if (fs::is_directory(folder, ec)) return folder;
    return std::nullopt;
}

fs::path ArtifactStore::get_or_create(const std::string& key, const std::function<void(const fs::path&)>& produce) {
    if (auto found = find(key)) return *found;
    static std::atomic<unsigned> counter{0};
    const fs::path temp = root_ / "tmp" / (key + "." + std::to_string(::getpid()) + "." + std::to_string(counter++));
    struct RemoveOnExit {
        fs::path path;
        ~RemoveOnExit() {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    } cleanup{temp};
    std::error_code ec;
    fs::create_directories(temp, ec);
    if (ec) throw IoError("cannot write to the artifact store at " + root_.string() + ": " + ec.message());
    produce(temp);

    const fs::path folder = folder_for(key);
    fs::create_directories(folder.parent_path(), ec);
    if (ec) throw IoError("cannot write to the artifact store at " + root_.string() + ": " + ec.message());
    fs::rename(temp, folder, ec);
    if (ec) {
        // Another worker finished the same artifact first: theirs is identical, keep it.
        if (fs::is_directory(folder)) return folder;
        throw IoError("cannot store artifact " + key + ": " + ec.message());
    }
    return folder;
}

}  // namespace dramaloc::pipeline
