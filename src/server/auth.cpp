#include "server/auth.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "core/error.hpp"
#include "core/time.hpp"

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

std::int64_t token_lifetime_ms(std::string_view text) {
    if (text == "never") return 0;
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    const std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
    std::int64_t scale = 0;
    if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60'000;
    else if (unit == "h") scale = 3'600'000;
    else if (unit == "d") scale = 86'400'000;
    if (ec != std::errc() || n <= 0 || scale == 0 || n > 36'500 * (86'400'000 / scale))
        throw UsageError("--expires " + std::string(text) + ": give a number and a unit (30d, 12h, 90m, 3600s; at most 100 years) or \"never\"");
    return n * scale;
}

std::string time_or_never(std::int64_t ms) {
    return ms <= 0 ? "never" : dramaloc::utc_time(ms);
}

bool same_origin(std::string_view origin, std::string_view host) {
    for (const std::string_view scheme : {"http://", "https://"})
        if (origin.substr(0, scheme.size()) == scheme) {
            const std::string_view authority = origin.substr(scheme.size());
            return !host.empty() && authority.size() == host.size() &&
                   std::equal(authority.begin(), authority.end(), host.begin(), [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                   });
        }
    return false;  // "null", or none
}

std::string session_cookie(std::string_view header) {
    // "a=1; dramaloc_session=dlt_…; b=2" (RFC 6265: pairs separated by "; ")
    static const std::string kName = std::string(kSessionCookie) + "=";
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
