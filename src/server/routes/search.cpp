// The library: their routes and what the station does for them.
#include "server/station.hpp"

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


// GET /api/search: the served series' libraries asked one by one (each may be its own
// database), their hits merged in the library's order.
json Station::search_json(const http::Request& req) {
    search::LibraryQuery q;
    const auto param = [&](const char* name) { return req.param(name); };
    const auto truth = [&](const char* name) -> std::optional<bool> {
        const std::string v = param(name);
        if (v.empty()) return std::nullopt;
        if (v == "true" || v == "false") return v == "true";
        throw Problem{400, "Bad request", std::string("\"") + name + "\" is true or false", {{"field", name}}};
    };
    const auto number = [&](const char* name, int fallback, int low, int high) {
        const std::string v = param(name);
        if (v.empty()) return fallback;
        try {
            std::size_t used = 0;
            const int n = std::stoi(v, &used);
            if (used == v.size() && n >= low && n <= high) return n;
        } catch (const std::exception&) {
        }
        throw Problem{400, "Bad request", std::string("\"") + name + "\" is a whole number from " + std::to_string(low) + " to " + std::to_string(high),
                      {{"field", name}}};
    };
    const auto time = [&](const char* name) -> std::optional<std::int64_t> {
        const std::string v = param(name);
        if (v.empty()) return std::nullopt;
        if (const auto t = parse_clock(v)) return *t;
        throw Problem{400, "Bad request", std::string("\"") + name + "\" is a time: seconds (72.5) or 01:12.250", {{"field", name}}};
    };
    q.text = param("q");
    q.episode = param("episode");
    q.language = param("lang");
    q.character = param("character");
    q.qc = param("qc");
    q.edited = truth("edited");
    q.approved = truth("approved");
    q.from_ms = time("from");
    q.to_ms = time("to");
    if (const auto at = time("at")) q.from_ms = q.to_ms = at;
    q.limit = number("limit", 50, 1, 200);
    q.offset = number("offset", 0, 0, 800);  // each library is asked for offset + limit hits, at most 1000
    q.series = param("series");
    std::vector<const Series*> asked;
    if (const std::string one = param("series"); !one.empty()) asked.push_back(&find_series(one));
    else
        for (const auto& s : series) asked.push_back(&s);
    // Each library gives its first offset + limit hits; the merged list is cut after.
    search::LibraryQuery each = q;
    each.offset = 0;
    each.limit = q.offset + q.limit;
    std::vector<search::LibraryHit> hits;
    try {
        search::check_query(q);  // words or a filter (the series counts), before any library is asked
        for (const Series* s : asked) {
            each.series = s->id;
            for (auto& h : library_of(*s).search(each)) hits.push_back(std::move(h));
        }
    } catch (const UsageError& e) {
        throw Problem{400, "Bad request", e.what()};
    }
    std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return search::library_order(a.line, b.line); });
    json list = json::array();
    for (std::size_t i = static_cast<std::size_t>(q.offset); i < hits.size() && list.size() < static_cast<std::size_t>(q.limit); ++i)
        list.push_back(search::hit_to_json(hits[i]));
    return {{"query", q.text}, {"offset", q.offset}, {"limit", q.limit}, {"hits", list}};
}

void add_search_routes(Station* self, std::vector<http::Route>& r) {
    r.push_back({"GET", "/api/search", http::BodyKind::None, [self](http::Request& req) { return http::Response::json(self->search_json(req)); },
                 {}, role_needed(Role::Viewer)});
}

}  // namespace dramaloc::server
