#include "store/artifact_store.hpp"

#include <unistd.h>

#include <atomic>
#include <random>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/fs.hpp"
#include "core/error.hpp"
#include "core/subprocess.hpp"

namespace dramaloc::store {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kListName = ".dramaloc-artifact.json";

}  // namespace

ArtifactStore::ArtifactStore(fs::path root) : root_(std::move(root)) {
    std::error_code ec;
    fs::create_directories(root_ / "tmp", ec);
    if (ec) throw IoError("cannot create the artifact store at " + root_.string() + ": " + ec.message());
}

ArtifactStore::ArtifactStore(fs::path root, std::shared_ptr<const ObjectStore> remote) : ArtifactStore(std::move(root)) {
    remote_ = std::move(remote);
}

fs::path ArtifactStore::folder_for(const std::string& key) const {
    if (key.size() < 8) throw Error(ErrorKind::Internal, "artifact key too short: \"" + key + "\"");
    return root_ / key.substr(0, 2) / key;
}

fs::path ArtifactStore::temp_folder(const std::string& key) const {
    // Unique across the machines sharing the store (containers may share pids): host, pid, a
    // random number drawn once per process, a counter.
    static const std::string process =
        host_name() + "." + std::to_string(::getpid()) + "." + std::to_string(std::random_device{}());
    static std::atomic<unsigned> counter{0};
    const fs::path temp = root_ / "tmp" / (key + "." + process + "." + std::to_string(counter++));
    std::error_code ec;
    fs::create_directories(temp, ec);
    if (ec) throw IoError("cannot write to the artifact store at " + root_.string() + ": " + ec.message());
    return temp;
}

fs::path ArtifactStore::commit(const std::string& key, const fs::path& temp) const {
    const fs::path folder = folder_for(key);
    std::error_code ec;
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

std::optional<fs::path> ArtifactStore::find(const std::string& key) const {
    const fs::path folder = folder_for(key);
    std::error_code ec;
    if (fs::is_directory(folder, ec)) return folder;
    if (remote_) return fetch(key);
    return std::nullopt;
}

std::optional<fs::path> ArtifactStore::fetch(const std::string& key) const {
    const fs::path temp = temp_folder(key);
    RemoveOnExit cleanup{temp};
    if (!remote_->get(key + "/" + kListName, temp / kListName)) return std::nullopt;
    json list;
    try {
        list = json::parse(read_text_file(temp / kListName));
        for (const auto& f : list.at("files")) {
            const fs::path rel = f.get<std::string>();
            if (rel.is_absolute() || rel.lexically_normal().string().rfind("..", 0) == 0)
                throw IoError("artifact " + key + " in " + remote_->describe() + " names a file outside itself: " + rel.string());
            fs::create_directories((temp / rel).parent_path());
            if (!remote_->get(key + "/" + rel.string(), temp / rel))
                throw IoError("artifact " + key + " in " + remote_->describe() + " lacks " + rel.string() + "; delete " + key +
                              "/ there and it is made again");
        }
    } catch (const json::exception&) {
        throw IoError("artifact " + key + " in " + remote_->describe() + " has a damaged file list; delete " + key + "/ there");
    }
    fs::remove(temp / kListName);
    return commit(key, temp);
}

void ArtifactStore::upload(const std::string& key, const fs::path& folder) const {
    json files = json::array();
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        if (!entry.is_regular_file()) continue;
        const std::string rel = fs::relative(entry.path(), folder).generic_string();
        remote_->put(key + "/" + rel, entry.path());
        files.push_back(rel);
    }
    // The list last: an artifact is in the object store once its list is.
    const fs::path list = temp_folder(key + ".list") / kListName;
    RemoveOnExit cleanup{list.parent_path()};
    write_file_atomically(list, json{{"key", key}, {"files", files}}.dump());
    remote_->put(key + "/" + kListName, list);
}

fs::path ArtifactStore::get_or_create(const std::string& key, const std::function<void(const fs::path&)>& produce) {
    if (auto found = find(key)) return *found;
    const fs::path temp = temp_folder(key);
    RemoveOnExit cleanup{temp};
    produce(temp);
    if (remote_) upload(key, temp);  // before the rename: what is here locally is also there
    return commit(key, temp);
}

}  // namespace dramaloc::store
