#include "core/hash.hpp"

#include <xxhash.h>

#include <cstdio>
#include <fstream>
#include <new>

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

}  // namespace dramaloc
