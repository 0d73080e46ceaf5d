#include "server/auth.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>

#include "core/error.hpp"

namespace dramaloc::server {

namespace {

std::string hex(const unsigned char* data, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out.push_back(kDigits[data[i] >> 4]);
        out.push_back(kDigits[data[i] & 0xF]);
    }
    return out;
}

}  // namespace

const char* to_string(Role role) noexcept {
    switch (role) {
        case Role::Viewer: return "viewer";
        case Role::Editor: return "editor";
        case Role::Admin: return "admin";
    }
    return "viewer";
}

std::optional<Role> role_from_string(std::string_view text) noexcept {
    if (text == "viewer") return Role::Viewer;
    if (text == "editor") return Role::Editor;
    if (text == "admin") return Role::Admin;
    return std::nullopt;
}

std::string new_token() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw EngineError("the system's random source gave no bytes for a token; try again");
    return "dlt_" + hex(bytes.data(), bytes.size());
}

std::string token_hash(std::string_view token) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(token.data(), token.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
        throw EngineError("OpenSSL could not hash a token (SHA-256)");
    return hex(digest.data(), size);
}

std::string token_cookie(std::string_view header) {
    // "a=1; dramaloc_token=dlt_…; b=2" (RFC 6265: pairs separated by "; ")
    static constexpr std::string_view kName = "dramaloc_token=";
    std::size_t at = 0;
    while (at < header.size()) {
        while (at < header.size() && (header[at] == ' ' || header[at] == ';')) ++at;
        const std::size_t end = std::min(header.find(';', at), header.size());
        const std::string_view pair = header.substr(at, end - at);
        if (pair.substr(0, kName.size()) == kName) return std::string(pair.substr(kName.size()));
        at = end;
    }
    return "";
}

}  // namespace dramaloc::server
