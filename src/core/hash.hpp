#pragma once
// Content hashing (xxHash XXH3-128) for artifact keys and checks. Not cryptographic:
// keys identify content in our own store, they do not defend against an attacker.
#include <cstdint>
#include <filesystem>
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

}  // namespace dramaloc
