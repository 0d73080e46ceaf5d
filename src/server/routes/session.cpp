// Signing in and out: their routes and what the station does for them.
#include "server/station.hpp"
#include "server/views.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>

#include "core/error.hpp"
#include "core/language.hpp"
#include "core/time.hpp"
#include "core/version.hpp"
#include "jobs/factory.hpp"
#include "media/probe.hpp"
#include "search/library_lines.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::server {



// POST /api/session: the page signs in with a token; the answer sets it as the session
// cookie, HttpOnly and SameSite=Strict, for as long as the token lives (Secure behind TLS).
http::Response Station::sign_in(const http::Request& req) {
    if (req.has_header("Origin") && !same_origin(req.header("Origin"), req.header("Host")))
        throw Problem{403, "Forbidden", "sign in from the review page of this server"};
    const json body = request_object(req);
    if (!body.contains("token") || !body["token"].is_string() || body["token"].get<std::string>().empty())
        throw Problem{400, "Bad request", "give the \"token\" you were given (dramaloc token create)", {{"field", "token"}}};
    const std::string value = body["token"].get<std::string>();
    if (value.find_first_of(";, \t\r\n\"") != std::string::npos)
        throw Problem{401, "Unauthorized", "the token is not known to this server's token store", json::object(),
                      {{"WWW-Authenticate", "Bearer realm=\"dramaloc\", error=\"invalid_token\""}}};
    const TokenInfo token = live_token(value);
    http::Response res = http::Response::json({{"session", views::session_view(token)}});
    std::string cookie = std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
    if (token.expires_ms) {
        const std::int64_t now = wall_clock_ms();
        cookie += "; Max-Age=" + std::to_string(std::max<std::int64_t>(0, (token.expires_ms - now) / 1000));
    }
    if (req.header("X-Forwarded-Proto") == "https") cookie += "; Secure";
    res.set_header("Set-Cookie", cookie);
    return res;
}

http::Response Station::sign_out() {
    http::Response res;
    res.status = 204;
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return res;
}

void add_session_routes(Station* self, std::vector<http::Route>& r) {
    using http::BodyKind;
    using http::Request;
    using http::Response;
    r.push_back({"POST", "/api/session", BodyKind::Json, [self](Request& req) { return self->sign_in(req); }});
    r.push_back({"GET", "/api/session", BodyKind::None, [self](Request& req) {
                     // Who is signed in: null when no token comes (the page then asks for one).
                     const std::string presented = Station::presented_token(req);
                     return Response::json({{"session", presented.empty() ? json(nullptr) : views::session_view(self->live_token(presented))}});
                 }});
    r.push_back({"DELETE", "/api/session", BodyKind::None, [](Request&) { return Station::sign_out(); }});
}

}  // namespace dramaloc::server
