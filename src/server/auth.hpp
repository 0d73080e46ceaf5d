#pragma once
// Who may do what on `dramaloc serve`: bearer tokens with a role, made by `dramaloc token
// create` and kept in the job store by their SHA-256 only.
#include <optional>
#include <string>
#include <string_view>

namespace dramaloc::server {

// Each role may do what the ones before it may: read; edit lines and approve; manage.
enum class Role { Viewer, Editor, Admin };

const char* to_string(Role role) noexcept;
std::optional<Role> role_from_string(std::string_view text) noexcept;

// A new token: "dlt_" and 64 hex digits from the system's random source (256 bits).
std::string new_token();

// The token's SHA-256 in hex: what the store keeps. A token is random and long, so a fast
// hash is enough (nothing to guess from a stolen table).
std::string token_hash(std::string_view token);

// The dramaloc_token cookie's value in a Cookie header ("" when it has none). The review page
// sets it so that its <video> and <audio> elements, which send no headers, can read media.
std::string token_cookie(std::string_view cookie_header);

}  // namespace dramaloc::server
