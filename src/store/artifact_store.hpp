#pragma once
// Content-addressed artifacts (docs/design.md, "Stages and artifacts").
//
// An artifact is a folder of files under ROOT/<first two hex digits>/<key>/, where the key
// hashes the stage's name and version, its engine's identity and settings, and the keys of
// its inputs. A stage writes into a fresh temporary folder that is renamed onto the key
// only when complete, so a folder under a key is always a finished artifact: a crashed or
// cancelled run leaves nothing that a later run could mistake for one, and re-running an
// unchanged episode finds every artifact and does no work.
//
// Thread-safe; several processes may share one store (the first rename wins, a later
// producer's identical result is discarded).
//
// With an object store (S3, object_store.hpp) the folder is a local cache of it, for
// workers on machines that share no filesystem: a finished artifact's files are PUT under
// PREFIX/<key>/, then its list of files (PREFIX/<key>/.dramaloc-artifact.json) last, so an
// artifact whose list is there is whole; an artifact missing here is fetched from there
// (into a temporary folder, then renamed) before it is produced again.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "store/object_store.hpp"

namespace dramaloc::store {

class ArtifactStore {
public:
    explicit ArtifactStore(std::filesystem::path root);  // creates the folder; throws IoError
    // The same, a local cache of `remote`.
    ArtifactStore(std::filesystem::path root, std::shared_ptr<const ObjectStore> remote);

    const std::filesystem::path& root() const { return root_; }

    // The folder of a complete artifact, or nullopt.
    std::optional<std::filesystem::path> find(const std::string& key) const;

    // Returns the artifact's folder, running `produce(folder)` to create it when missing.
    // `produce` writes its files into the folder it is given; if it throws, nothing is kept.
    std::filesystem::path get_or_create(const std::string& key,
                                        const std::function<void(const std::filesystem::path&)>& produce);

private:
    std::filesystem::path folder_for(const std::string& key) const;
    std::filesystem::path temp_folder(const std::string& key) const;
    // Renames a finished temporary folder onto the key (the first one wins).
    std::filesystem::path commit(const std::string& key, const std::filesystem::path& temp) const;
    std::optional<std::filesystem::path> fetch(const std::string& key) const;
    void upload(const std::string& key, const std::filesystem::path& folder) const;
    std::filesystem::path root_;
    std::shared_ptr<const ObjectStore> remote_;
};

}  // namespace dramaloc::store
