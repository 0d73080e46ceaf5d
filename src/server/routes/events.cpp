// The event stream: their routes and what the station does for them.
#include "server/station.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
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


// GET …/events: text/event-stream of the series' events, from now (or after Last-Event-ID),
// beginning with the render state of every episode that has one; a comment every 10 s
// keeps proxies from closing it. A stream holds no thread: the server asks its feed for
// news when publish() tells it of some.
http::Response Station::stream_events(std::size_t index, const http::Request& req) {
    std::uint64_t last_seen = 0;
    if (const std::string id = req.header("Last-Event-ID"); !id.empty()) {
        const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), last_seen);
        if (ec != std::errc() || end != id.data() + id.size()) last_seen = 0;
    }
    auto feed = std::make_shared<http::EventFeed>();
    auto after = std::make_shared<std::uint64_t>(0);
    {
        std::lock_guard lock(render_mutex);
        // Resumed only from an id this server gave (ids start again at a restart) whose
        // successors are all still kept; else the page starts again from `ready`.
        const bool can_resume = last_seen > 0 && last_seen <= next_event - 1 &&
                                (events.empty() ? last_seen == next_event - 1 : events.front().id <= last_seen + 1);
        *after = can_resume ? last_seen : next_event - 1;
        std::string out = "retry: 2000\n\n";
        if (!can_resume)
            for (const auto& [key, state] : render_state)
                if (key.first == index) out += "event: render\ndata: " + json{{"episode", key.second}, {"render", state}}.dump() + "\n\n";
        out += news_after(index, *after);
        // After what was missed: a page that resumes has caught up when it sees it.
        out += "id: " + std::to_string(next_event - 1) + "\nevent: ready\ndata: " + json{{"resumed", can_resume}}.dump() + "\n\n";
        *after = next_event - 1;
        feed->first = std::move(out);
    }
    // The stream ends when its token does: at its expiry, or once the token watch has seen it
    // revoked (within ServeOptions::token_watch, 30 s; the page then reconnects and is refused).
    const TokenInfo& token = caller(req);
    feed->more = [this, index, after, hash = token.hash, expires = token.expires_ms]() -> std::optional<std::string> {
        const std::int64_t now = wall_clock_ms();
        if ((expires > 0 && now >= expires) || token_revoked(hash)) return std::nullopt;
        std::lock_guard lock(render_mutex);
        if (closing) return std::nullopt;
        std::string out = news_after(index, *after);
        *after = next_event - 1;
        return out;
    };
    http::Response res;
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");  // nginx: pass events on at once
    res.events = std::move(feed);
    return res;
}

// The series' events after id `after` as event-stream text; render_mutex held.
std::string Station::news_after(std::size_t index, std::uint64_t after) const {
    std::string out;
    for (const auto& e : events)
        if (e.id > after && e.series == index) out += "id: " + std::to_string(e.id) + "\nevent: " + e.name + "\ndata: " + e.data + "\n\n";
    return out;
}

void add_events_routes(Station* self, std::vector<http::Route>& r) {
    r.push_back({"GET", "/api/series/{series}/events", http::BodyKind::None,
                 [self](http::Request& req) { return self->stream_events(self->index_of(self->find_series(req.params[0])), req); }, {},
                 role_needed(Role::Viewer)});
}

}  // namespace dramaloc::server
