#pragma once
// The people who may use the review station: their access tokens, kept by their SHA-256 (hex)
// only (the token itself is shown once, when it is made, and stored nowhere), with a role, a
// name, an expiry, a revocation and the last use. The server owns this store; it lives in the
// series' database beside the job store and the library (the table dramaloc_tokens, SQLite
// or PostgreSQL, as stores made before it already hold it).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dramaloc::server {

struct TokenInfo {
    std::string role;   // viewer, editor, admin
    std::string label;  // its name: who it was made for, as given (kept in the edit history)
    std::string hash;   // SHA-256 of the token, hex; its first 12 digits are its id
    std::int64_t created_ms = 0, expires_ms = 0 /* 0: never */, revoked_ms = 0 /* 0: not revoked */, last_used_ms = 0;

    std::string id() const { return hash.substr(0, 12); }
    bool expired(std::int64_t now_ms) const { return expires_ms > 0 && now_ms >= expires_ms; }
    bool live(std::int64_t now_ms) const { return revoked_ms == 0 && !expired(now_ms); }
};

class TokenStore {
public:
    virtual ~TokenStore() = default;
    // `expires_ms`: when it stops working (ms since the epoch; 0: never). Throws Error when a
    // token with this hash is there already.
    virtual void add(const std::string& sha256_hex, const std::string& role, const std::string& label, std::int64_t expires_ms) = 0;
    // The token whose hash this is, live, revoked or expired; nullopt when there is none.
    virtual std::optional<TokenInfo> find(const std::string& sha256_hex) = 0;
    // Every token, oldest first.
    virtual std::vector<TokenInfo> list() = 0;
    // Revokes the live tokens named `name_or_id`, or the one whose id it is; how many.
    virtual int revoke(const std::string& name_or_id) = 0;
    // Notes that the token was used now.
    virtual void touch(const std::string& sha256_hex) = 0;
    // What the store is, for messages (a PostgreSQL URL without its password).
    virtual std::string describe() const = 0;
};

// A store URL as the job store takes it (store/database.hpp). Makes the table when it is
// missing and gives an older one the columns it lacks (its tokens never expire and are live).
// Throws ConfigError for a URL it cannot use, EngineError when the server cannot be reached,
// IoError when the file cannot be opened.
std::unique_ptr<TokenStore> open_token_store(const std::string& url);

}  // namespace dramaloc::server
