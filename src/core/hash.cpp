#include "core/hash.hpp"

#include <sys/stat.h>
#include <xxhash.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <new>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"

namespace dramaloc {

Hasher::Hasher() : state_(XXH3_createState()) {
    if (!state_) throw std::bad_alloc();
    XXH3_128bits_reset(static_cast<XXH3_state_t*>(state_));
}
Hasher::~Hasher() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

Hasher& Hasher::update(const void* data, std::size_t size) {
    XXH3_128bits_update(static_cast<XXH3_state_t*>(state_), data, size);
    return *this;
}
Hasher& Hasher::update(std::string_view s) { return update(s.data(), s.size()); }
Hasher& Hasher::field(std::string_view s) {
    field(static_cast<std::int64_t>(s.size()));
    return update(s);
}
Hasher& Hasher::field(std::int64_t v) {
    unsigned char bytes[8];
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xff);
    return update(bytes, sizeof bytes);
}

std::string Hasher::hex() const {
    const XXH128_hash_t h = XXH3_128bits_digest(static_cast<XXH3_state_t*>(state_));
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                  static_cast<unsigned long long>(h.low64));
    return buf;
}

std::string hash_hex(std::string_view data) { return Hasher().update(data).hex(); }

std::string hash_file_hex(const std::filesystem::path& path) {
    require_readable_file(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string() + ": cannot open it");
    Hasher h;
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) h.update(buf, static_cast<std::size_t>(in.gcount()));
    return h.hex();
}

FileHashCache::FileHashCache(std::filesystem::path cache_file) : file_(std::move(cache_file)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file_, ec)) return;
    try {
        const auto j = nlohmann::json::parse(read_text_file(file_, 64u << 20, EmptyFile::Accept));
        for (const auto& [path, e] : j.at("files").items())
            entries_[path] = {e.at("size").get<std::int64_t>(), e.at("mtime_ns").get<std::int64_t>(), e.at("inode").get<std::uint64_t>(),
                              e.at("hashed_at_ns").get<std::int64_t>(), e.at("hash").get<std::string>()};
    } catch (const std::exception&) {
        entries_.clear();  // a damaged cache is an empty one
    }
}

std::optional<FileIdentity> file_identity(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return std::nullopt;
    return FileIdentity{static_cast<std::int64_t>(st.st_size), static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                        static_cast<std::uint64_t>(st.st_ino)};
}

std::string FileHashCache::hash(const std::filesystem::path& file) {
    require_readable_file(file);
    const std::string key = std::filesystem::absolute(file).lexically_normal().string();
    const auto id = file_identity(key);
    if (!id) throw InputError(file.string() + ": cannot read it");
    {
        std::lock_guard lock(mutex_);
        const auto it = entries_.find(key);
        if (it != entries_.end() && it->second.size == id->size && it->second.mtime_ns == id->mtime_ns && it->second.inode == id->inode &&
            it->second.hashed_at_ns - id->mtime_ns > 2'000'000'000)
            return it->second.hash;
    }
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    Entry entry{id->size, id->mtime_ns, id->inode, std::chrono::duration_cast<std::chrono::nanoseconds>(now).count(), hash_file_hex(file)};
    std::lock_guard lock(mutex_);
    ++read_;
    entries_[key] = entry;
    dirty_ = true;
    return entry.hash;
}

void FileHashCache::save() {
    std::lock_guard lock(mutex_);
    if (!dirty_) return;
    nlohmann::json files = nlohmann::json::object();
    for (const auto& [path, e] : entries_)
        files[path] = {{"size", e.size}, {"mtime_ns", e.mtime_ns}, {"inode", e.inode}, {"hashed_at_ns", e.hashed_at_ns}, {"hash", e.hash}};
    try {
        write_file_atomically(file_, nlohmann::json{{"version", 1}, {"files", files}}.dump() + "\n");
        dirty_ = false;
    } catch (const std::exception&) {
    }
}

int FileHashCache::files_read() const {
    std::lock_guard lock(mutex_);
    return read_;
}

}  // namespace dramaloc
