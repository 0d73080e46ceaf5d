#pragma once
// Content hashing (xxHash XXH3-128) for artifact keys and checks. Not cryptographic:
// keys identify content in our own store, they do not defend against an attacker.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace dramaloc {

class Hasher {
public:
    Hasher();
    ~Hasher();
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    Hasher& update(const void* data, std::size_t size);
    Hasher& update(std::string_view s);
    // Adds a length-prefixed field, so that ("ab","c") and ("a","bc") hash differently.
    Hasher& field(std::string_view s);
    Hasher& field(std::int64_t v);
    std::string hex() const;  // 32 lowercase hex digits

private:
    void* state_;
};

std::string hash_hex(std::string_view data);
std::string hash_file_hex(const std::filesystem::path& path);  // throws InputError

// What tells one version of a file from another without reading it: its size, modification
// time and inode (as git's index keeps them). nullopt when the file cannot be stat'ed.
struct FileIdentity {
    std::int64_t size = 0, mtime_ns = 0;
    std::uint64_t inode = 0;
    bool operator==(const FileIdentity&) const = default;
};
std::optional<FileIdentity> file_identity(const std::filesystem::path& file);

// Content hashes of input files, kept between runs in `cache_file` and keyed, as git's index
// keys its entries, by (absolute path, size, modification time, inode): a file that has not
// changed since it was hashed is not read again, so a re-run does not read whole episodes.
// An entry whose modification time is within 2 s of when it was hashed is hashed again (a
// change in the same second need not move the time: git's "racily clean" entries).
// Thread-safe. The cache is a cache: an unreadable or damaged file starts empty, and save()
// failing loses nothing but time.
class FileHashCache {
public:
    explicit FileHashCache(std::filesystem::path cache_file);
    // hash_file_hex(file), from the cache when the file is unchanged. Throws InputError.
    std::string hash(const std::filesystem::path& file);
    // Writes the entries (atomically) when any changed; errors are ignored.
    void save();
    int files_read() const;  // files hashed (not found in the cache) so far

private:
    struct Entry {
        std::int64_t size = 0;
        std::int64_t mtime_ns = 0;
        std::uint64_t inode = 0;
        std::int64_t hashed_at_ns = 0;
        std::string hash;
    };
    std::filesystem::path file_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry> entries_;
    bool dirty_ = false;
    int read_ = 0;
};

}  // namespace dramaloc
