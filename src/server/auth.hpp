#pragma once
// Who may do what on `dramaloc serve`: bearer tokens with a role, made by `dramaloc token
// create` and kept in the job store by their SHA-256 only.
#include <cstdint>
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

// How long a token lives: "30d", "12h", "90m", "3600s" (a whole number and a unit), or
// "never" (0). UsageError otherwise.
std::int64_t token_lifetime_ms(std::string_view text);

// A time in ms since the epoch as "2026-12-07T05:48:17Z"; "never" for 0.
std::string time_or_never(std::int64_t ms);

// The page's session: the token, in an HttpOnly, SameSite=Strict cookie that POST
// /api/session sets (so no script of the page can read it).
inline constexpr const char* kSessionCookie = "dramaloc_session";

// The session cookie's value in a Cookie header ("" when it has none).
std::string session_cookie(std::string_view cookie_header);

// Whether an Origin header names the server a request came to (its Host header): what a
// write made with the session cookie must show (a page of another site cannot).
bool same_origin(std::string_view origin, std::string_view host);

}  // namespace dramaloc::server
