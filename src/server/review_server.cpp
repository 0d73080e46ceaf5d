#include "server/review_server.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <charconv>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/language.hpp"
#include "core/time.hpp"
#include "core/version.hpp"
#include "jobs/factory.hpp"
#include "jobs/job_store.hpp"
#include "media/probe.hpp"
#include "pipeline/edits.hpp"
#include "pipeline/reviews.hpp"
#include "pipeline/series_project.hpp"
#include "policy/episode_review.hpp"
#include "search/library.hpp"
#include "search/library_lines.hpp"
#include "server/auth.hpp"
#include "server/http.hpp"
#include "server/web_assets.hpp"
#include "subtitles/rules.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::server {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using http::Problem;

// The request's body: a JSON object, else a 400 saying what is wrong with it (where, never
// the JSON library's own words).
json request_object(const http::Request& req) {
    json body;
    std::string key;  // the last member name read: where a bad value is
    const json::parser_callback_t note_key = [&key](int, json::parse_event_t event, json& parsed) {
        if (event == json::parse_event_t::key && parsed.is_string()) key = parsed.get<std::string>();
        return true;
    };
    try {
        body = json::parse(req.body, note_key);
    } catch (const json::parse_error& e) {
        throw Problem{400, "Malformed JSON", "the request body is not JSON (it goes wrong at byte " + std::to_string(e.byte) + ")"};
    } catch (const json::exception&) {  // a number too large for any type (1e400)
        json extra = json::object();
        if (!key.empty()) extra["field"] = key;
        throw Problem{400, "Bad request", key.empty() ? "the request body holds a number out of range" : "\"" + key + "\" is a number out of range",
                      extra};
    }
    if (!body.is_object()) throw Problem{400, "Bad request", "the request body must be a JSON object"};
    return body;
}

json read_json_file(const fs::path& path) {
    std::ifstream in(path);
    if (!in) return nullptr;
    const json j = json::parse(in, nullptr, false);
    return j.is_discarded() ? json(nullptr) : j;
}

// What files held when last read, by their identity (inode, size, modification time): the
// pipeline replaces its files by rename, so a changed file is always read again, and the
// same one (the manifest, QC, the edit log, read by every page that looks) is parsed once.
template <typename T>
class FileCache {
public:
    std::shared_ptr<const T> get(const fs::path& path, const std::function<T()>& read) {
        struct ::stat st {};
        if (::stat(path.c_str(), &st) != 0) return std::make_shared<const T>(read());  // missing: not kept
        const Key key{st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
        {
            std::lock_guard lock(mutex_);
            if (const auto it = entries_.find(path.string()); it != entries_.end() && it->second.first == key) return it->second.second;
        }
        // Changed after the stat: kept under the older identity, so read again next time.
        auto value = std::make_shared<const T>(read());
        std::lock_guard lock(mutex_);
        entries_[path.string()] = {key, value};
        return value;
    }

private:
    using Key = std::tuple<::ino_t, ::off_t, ::time_t, long>;
    std::mutex mutex_;
    std::map<std::string, std::pair<Key, std::shared_ptr<const T>>> entries_;
};

struct Series {
    std::shared_ptr<const policy::Reviewer> reviewer;  // its policy packs and glossary, compiled once
    std::string id;  // the series file's name without extension
    pipeline::SeriesProject project;  // its `episodes` grow with uploads: read through episodes_of()
    fs::path out_dir;
};

// What an episode's outputs folder may hand out, by name: media and subtitles, and the
// language's script file. Never the manifest, QC or anything hidden or half-written.
const char* download_type(const std::string& name) {
    if (name.empty() || name.front() == '.') return nullptr;
    const auto ends = [&](std::string_view tail) { return name.size() > tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0; };
    if (ends(".mp4")) return "video/mp4";
    if (ends(".m4a")) return "audio/mp4";
    if (ends(".wav")) return "audio/wav";
    if (ends(".vtt")) return "text/vtt; charset=utf-8";
    if (ends(".srt")) return "application/x-subrip; charset=utf-8";
    if (ends(".ass")) return "text/x-ssa; charset=utf-8";
    if (ends(".ttml")) return "application/ttml+xml; charset=utf-8";
    if (ends(".script.json")) return "application/json";
    return nullptr;
}

// A file's bytes, with HTTP range requests answered (206) so a player can seek: one range,
// its end clamped to the file; a range past the end, or several, is 416. The file is opened
// now: a render replacing it (by rename) mid-download does not mix two versions, and its ETag
// (the opened file's identity) with If-Range keeps a player from mixing ranges of two
// versions across requests.
http::Response send_file(const http::Request& req, const fs::path& path, const std::string& type) {
    auto slice = std::make_shared<http::FileSlice>();
    slice->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct ::stat st {};
    if (slice->fd < 0 || ::fstat(slice->fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw Problem{404, "No such file", "the file is not there (any more); list the episode again"};
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const std::string etag = "\"" + std::to_string(st.st_ino) + "-" + std::to_string(size) + "-" + std::to_string(st.st_mtim.tv_sec) + "." +
                             std::to_string(st.st_mtim.tv_nsec) + "\"";
    std::string range = req.header("Range");
    if (req.has_header("If-Range") && req.header("If-Range") != etag) range.clear();  // changed: the whole new file
    const auto part = http::byte_range(range, size);
    if (!part)
        throw Problem{416, "Range not satisfiable", "ask for one range within the file's " + std::to_string(size) + " bytes",
                      json::object(), {{"Content-Range", "bytes */" + std::to_string(size)}}};
    http::Response res;
    res.content_type = type;
    res.set_header("Accept-Ranges", "bytes");
    res.set_header("Cache-Control", "no-cache");
    res.set_header("ETag", etag);
    if (!range.empty()) {
        res.status = 206;
        res.set_header("Content-Range", "bytes " + std::to_string(part->first) + "-" + std::to_string(part->first + part->second - 1) + "/" +
                                            std::to_string(size));
    }
    slice->offset = part->first;
    slice->length = part->second;
    res.file = std::move(slice);
    return res;
}

// A server-sent event for the series' pages (GET …/events): a render's state, a line changed.
struct Event {
    std::uint64_t id;
    std::size_t series;
    std::string name;  // "render", "line", "review"
    std::string data;  // JSON
};

// A name as one segment of a URL path (RFC 3986: unreserved characters as they are).
std::string url_segment(const std::string& name) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : name) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out.push_back(static_cast<char>(c));
        else out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
    return out;
}

}  // namespace

struct ReviewServer::Impl {
    ServeOptions options;
    std::vector<Series> series;
    std::unique_ptr<jobs::JobStore> store;
    std::mutex store_mutex;  // the SQLite store is one connection
    std::unique_ptr<http::Server> http;  // made once the routes are

    // Renders of edited episodes, one at a time, in the order asked for.
    std::mutex render_mutex;
    std::condition_variable render_wake;
    std::deque<std::pair<std::size_t, std::string>> render_queue;  // (series index, episode)
    std::map<std::pair<std::size_t, std::string>, std::string> render_state;  // queued, rendering, done, failed: why
    bool stopping = false;
    std::thread renderer;

    // Events for the pages (under render_mutex): the last ones kept, so that a page that
    // reconnects with Last-Event-ID misses nothing recent.
    std::deque<Event> events;
    std::uint64_t next_event = 1;
    bool closing = false;  // the server stops: event streams end

    // Keeps an event for the streams; render_mutex held by the caller, who then wakes them.
    void keep_event(std::size_t index, const std::string& name, const json& data) {
        events.push_back({next_event++, index, name, data.dump()});
        while (events.size() > 1000) events.pop_front();
    }

    void publish(std::size_t index, const std::string& name, const json& data) {
        {
            std::lock_guard lock(render_mutex);
            keep_event(index, name, data);
        }
        if (http) http->notify_streams();
    }

    // GET …/events: text/event-stream of the series' events, from now (or after Last-Event-ID),
    // beginning with the render state of every episode that has one; a comment every 10 s
    // keeps proxies from closing it. A stream holds no thread: the server asks its feed for
    // news when publish() tells it of some.
    http::Response stream_events(std::size_t index, const http::Request& req) {
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
        feed->more = [this, index, after]() -> std::optional<std::string> {
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
    std::string news_after(std::size_t index, std::uint64_t after) const {
        std::string out;
        for (const auto& e : events)
            if (e.id > after && e.series == index) out += "id: " + std::to_string(e.id) + "\nevent: " + e.name + "\ndata: " + e.data + "\n\n";
        return out;
    }

    void log(const std::string& line) const {
        if (options.log) options.log(line);
    }

    const Series& find_series(const std::string& id) const {
        for (const auto& s : series)
            if (s.id == id) return s;
        throw Problem{404, "No such series", "this server has no series \"" + id + "\""};
    }

    // The series' episodes now (an upload adds one while others read).
    mutable std::mutex episodes_mutex;
    std::vector<fs::path> episodes_of(const Series& s) const {
        std::lock_guard lock(episodes_mutex);
        return s.project.episodes;
    }

    fs::path find_episode(const Series& s, const std::string& name) const {
        for (const auto& e : episodes_of(s))
            if (e.stem().string() == name) return e;
        throw Problem{404, "No such episode", "series \"" + s.id + "\" has no episode \"" + name + "\""};
    }

    static void check_language(const Series& s, const std::string& language) {
        const auto& targets = s.project.options.target_languages;
        if (std::find(targets.begin(), targets.end(), language) == targets.end())
            throw Problem{404, "No such language", "series \"" + s.id + "\" is not translated into \"" + language + "\""};
    }

    // The token a request presents: the bearer header (API clients), else the page's session
    // cookie (the page, its <video>, <audio> and event stream). A write made with the cookie
    // must come from the server's own page: its Origin must name this server.
    static std::string presented_token(const http::Request& req) {
        const std::string header = req.header("Authorization");
        if (!header.empty()) {
            // The scheme's name is case-insensitive (RFC 7235).
            std::string scheme = header.substr(0, std::min<std::size_t>(header.size(), 7));
            for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return header.size() > 7 && scheme == "bearer " ? header.substr(7) : "";
        }
        std::string cookie = session_cookie(req.header("Cookie"));
        if (!cookie.empty() && req.method != "GET" && !same_origin(req.header("Origin"), req.header("Host")))
            throw Problem{403, "Forbidden", "a change made with the page's session must come from the page itself (its Origin)"};
        return cookie;
    }

    // The token whose value this is, live; 401 otherwise.
    jobs::TokenInfo live_token(const std::string& presented) {
        const auto challenge = [](const std::string& error) {
            return std::vector<std::pair<std::string, std::string>>{
                {"WWW-Authenticate", "Bearer realm=\"dramaloc\"" + (error.empty() ? "" : ", error=\"" + error + "\"")}};
        };
        if (presented.empty())
            throw Problem{401, "Unauthorized", "sign in, or send a token as \"Authorization: Bearer TOKEN\" (dramaloc token create)",
                          json::object(), challenge("")};
        const std::string hash = token_hash(presented);
        std::optional<jobs::TokenInfo> token;
        {
            std::lock_guard lock(store_mutex);
            token = store->find_token(hash);
        }
        const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        if (!token) throw Problem{401, "Unauthorized", "the token is not known to this server's job store", json::object(), challenge("invalid_token")};
        if (token->revoked_ms)
            throw Problem{401, "Unauthorized", "the token was revoked on " + utc_time(token->revoked_ms) + "; ask for a new one", json::object(),
                          challenge("invalid_token")};
        if (token->expired(now))
            throw Problem{401, "Unauthorized", "the token expired on " + utc_time(token->expires_ms) + "; ask for a new one", json::object(),
                          challenge("invalid_token")};
        // When it was last used, to the minute (not a write per request).
        if (now - token->last_used_ms > 60'000) {
            std::lock_guard lock(store_mutex);
            store->touch_token(hash);
        }
        return *token;
    }

    // The caller's token, when its role allows `needed`.
    jobs::TokenInfo authorize(const http::Request& req, Role needed) {
        jobs::TokenInfo token = live_token(presented_token(req));
        const auto role = role_from_string(token.role);
        if (!role || *role < needed)
            throw Problem{403, "Forbidden", std::string("this needs the ") + to_string(needed) + " role; the token has " + token.role};
        return token;
    }

    static json session_json(const jobs::TokenInfo& t) {
        return {{"name", t.label}, {"role", t.role}, {"expires", t.expires_ms ? json(utc_time(t.expires_ms)) : json(nullptr)}};
    }

    // POST /api/session: the page signs in with a token; the answer sets it as the session
    // cookie, HttpOnly and SameSite=Strict, for as long as the token lives (Secure behind TLS).
    http::Response sign_in(const http::Request& req) {
        if (req.has_header("Origin") && !same_origin(req.header("Origin"), req.header("Host")))
            throw Problem{403, "Forbidden", "sign in from the review page of this server"};
        const json body = request_object(req);
        if (!body.contains("token") || !body["token"].is_string() || body["token"].get<std::string>().empty())
            throw Problem{400, "Bad request", "give the \"token\" you were given (dramaloc token create)", {{"field", "token"}}};
        const std::string value = body["token"].get<std::string>();
        if (value.find_first_of(";, \t\r\n\"") != std::string::npos)
            throw Problem{401, "Unauthorized", "the token is not known to this server's job store", json::object(),
                          {{"WWW-Authenticate", "Bearer realm=\"dramaloc\", error=\"invalid_token\""}}};
        const jobs::TokenInfo token = live_token(value);
        http::Response res = http::Response::json({{"session", session_json(token)}});
        std::string cookie = std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
        if (token.expires_ms) {
            const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
            cookie += "; Max-Age=" + std::to_string(std::max<std::int64_t>(0, (token.expires_ms - now) / 1000));
        }
        if (req.header("X-Forwarded-Proto") == "https") cookie += "; Secure";
        res.set_header("Set-Cookie", cookie);
        return res;
    }

    static http::Response sign_out() {
        http::Response res;
        res.status = 204;
        res.set_header("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        return res;
    }

    // The library of each series: in its job store's database, as `dramaloc run` keeps it
    // (--db, else the series' own OUT/.dramaloc-jobs.db), opened once per database.
    std::mutex library_mutex;
    std::map<std::string, std::unique_ptr<search::LibraryIndex>> libraries;
    search::LibraryIndex& library_of(const Series& s) {
        const std::string url = options.db_url.empty() ? jobs::default_store_url(s.out_dir) : options.db_url;
        std::lock_guard lock(library_mutex);
        auto& index = libraries[url];
        if (!index) index = search::open_library_index(url);
        return *index;
    }
    // After an edit or a review: the episode's lines in the library as they now stand. A
    // failure is told in the log (the edit itself is recorded); dramaloc reindex repairs it.
    void update_library(const Series& s, const std::string& episode) {
        try {
            // The episodes as uploads leave them, read under their lock.
            search::index_episode(library_of(s), s.project, episode, search::episode_order(episodes_of(s), episode));
        } catch (const std::exception& e) {
            log("dramaloc serve: the library was not updated for " + s.id + " " + episode + ": " + e.what() + "; run dramaloc reindex " +
                s.project.file.string());
        }
    }

    // GET /api/search: the served series' libraries asked one by one (each may be its own
    // database), their hits merged in the library's order.
    json search_json(const http::Request& req) {
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

    // The series' languages by their English names ("es" -> "Spanish"), for people to read.
    static json language_names(const Series& s) {
        json names = json::object();
        std::vector<std::string> all = s.project.options.target_languages;
        all.push_back(s.project.options.source_language);
        for (const auto& tag : all) {
            const auto info = find_language(tag);
            std::string name = info ? info->english_name : tag;
            if (info && tag.size() > info->bcp47.size()) name += " (" + tag.substr(info->bcp47.size() + 1) + ")";  // zh-Hant: Chinese (Hant)
            names[tag] = name;
        }
        return names;
    }

    json series_json(const Series& s) const {
        const std::string title = s.project.options.series ? s.project.options.series->title : "";
        return {{"id", s.id},
                {"title", title.empty() ? s.id : title},
                {"source_language", s.project.options.source_language},
                {"languages", s.project.options.target_languages},
                {"language_names", language_names(s)},
                {"episodes", episodes_of(s).size()}};
    }

    // Files read by every page that looks, parsed again only when they change.
    FileCache<json> json_files;
    FileCache<json> manifest_engines;  // manifest.json's "engines" (json_files holds its "scripts")
    FileCache<std::vector<pipeline::LineEdit>> histories;
    FileCache<std::vector<pipeline::Review>> review_logs;

    // What the episode's last publish recorded of its languages' lines (manifest "scripts").
    // (Shared, not copied: hold the pointer while using what it points to.)
    std::shared_ptr<const json> published(const Series& s, const std::string& episode) {
        const fs::path folder = s.out_dir / episode;
        return json_files.get(folder / "manifest.json", [&] { return pipeline::published_scripts(folder); });
    }
    std::shared_ptr<const std::vector<pipeline::LineEdit>> history_of(const Series& s) {
        const pipeline::EditLog log(s.out_dir);
        return histories.get(log.file(), [&] { return log.history(); });
    }

    std::string render_of(std::size_t series_index, const std::string& episode) {
        std::lock_guard lock(render_mutex);
        const auto it = render_state.find({series_index, episode});
        return it == render_state.end() ? "" : it->second;
    }

    json episodes_json(std::size_t index) {
        const Series& s = series[index];
        json out = json::array();
        const auto history_read = history_of(s);  // the series' one log, read once
        const auto& history = *history_read;
        for (const auto& file : episodes_of(s)) {
            const std::string name = file.stem().string();
            const auto scripts_read = published(s, name);
            const json& scripts = *scripts_read;
            json languages = json::object();
            for (const auto& language : s.project.options.target_languages) {
                json l = {{"published", scripts.contains(language)}};
                if (scripts.contains(language)) {
                    l["lines"] = scripts.at(language).at("lines").size();
                    l["stale"] = stale_lines(name, language, scripts.at(language), history) > 0;
                }
                languages[language] = l;
            }
            const std::string render = render_of(index, name);
            out.push_back({{"id", name}, {"languages", languages}, {"render", render.empty() ? json(nullptr) : json(render)}});
        }
        return {{"series", s.id}, {"episodes", out}};
    }

    // Lines edited since the outputs were made: their revision has moved on from the one
    // the last publish recorded.
    static int stale_lines(const std::string& episode, const std::string& language, const json& script,
                           const std::vector<pipeline::LineEdit>& history) {
        int stale = 0;
        for (const auto& line : script.at("lines"))
            stale += pipeline::line_revision(history, episode, language, line.at("id").get<int>()) != line.value("revision", 0);
        return stale;
    }

    json lines_json(std::size_t index, const std::string& episode, const std::string& language) {
        const Series& s = series[index];
        const auto scripts_read = published(s, episode);
        const json& scripts = *scripts_read;
        if (!scripts.contains(language))
            throw Problem{409, "Not ready", episode + " has no " + language + " script yet: the series has not been run (dramaloc run)"};
        const auto history_read = history_of(s);
        const auto& history = *history_read;
        // QC findings per line id, from the episode's qc.json.
        std::map<int, json> flags;
        const fs::path qc_file = s.out_dir / episode / "qc.json";
        const json qc = *json_files.get(qc_file, [&] { return read_json_file(qc_file); });
        if (qc.is_object() && qc.contains("languages") && qc["languages"].contains(language))
            for (const auto& f : qc["languages"][language].value("findings", json::array()))
                if (f.contains("line_id") && f["line_id"].is_number_integer() && f["line_id"].get<int>() > 0)
                    flags[f["line_id"].get<int>()].push_back({{"rule", f.value("rule", "")}, {"severity", f.value("severity", "")},
                                                               {"message", f.value("message", "")}});
        // The content review of the lines as they now stand (packs and glossary), with resolutions.
        const auto review = policy::review_episode(*s.reviewer, s.project, episode, {language});
        std::map<int, json> findings;
        for (const auto& f : review.findings) {
            const auto r = review.resolutions.find(f.id);
            findings[f.line].push_back(policy::finding_json(f, r == review.resolutions.end() ? nullptr : &r->second));
        }
        json lines = json::array();
        for (const auto& line : scripts.at(language).at("lines")) {
            const int id = line.at("id").get<int>();
            json edits = json::array();
            std::optional<std::string> in_force;  // the text a person set, or (after a revert) the machine's
            std::string speaker = line.value("speaker", "");
            for (const auto& e : history) {
                if (e.episode != episode || e.language != language || e.line != id) continue;
                const bool text_edit = !e.redub && e.speaker.empty();
                json entry = {{"who", e.who}, {"when", e.when}, {"via", e.via}, {"before", e.before},
                              {"after", text_edit && !e.revert ? json(e.after) : json(nullptr)}, {"revert", e.revert}, {"redub", e.redub}};
                if (!e.speaker.empty()) entry["speaker"] = e.speaker;
                edits.push_back(std::move(entry));
                if (text_edit) in_force = e.revert ? e.machine : e.after;
                if (!e.speaker.empty()) speaker = e.speaker;
            }
            const std::string published_text = line.at("text").get<std::string>();
            const int revision = static_cast<int>(edits.size());
            lines.push_back({{"id", id},
                             {"start_ms", line.at("start")},
                             {"end_ms", line.at("end")},
                             {"speaker", speaker},
                             {"source", line.value("source", "")},
                             {"text", in_force.value_or(published_text)},
                             {"machine", line.value("machine", "")},
                             {"revision", revision},
                             {"stale", revision != line.value("revision", 0)},
                             {"qc", flags.count(id) ? flags[id] : json::array()},
                             {"findings", findings.count(id) ? findings[id] : json::array()},
                             {"history", edits}});
        }
        const std::string render = render_of(index, episode);
        const std::string title = s.project.options.series ? s.project.options.series->title : "";
        return {{"series", s.id}, {"series_title", title.empty() ? s.id : title}, {"episode", episode}, {"language", language},
                {"source_language", s.project.options.source_language}, {"language_names", language_names(s)},
                {"direction", is_right_to_left(language) ? "rtl" : "ltr"}, {"lines", lines},
                {"rules", rules_json(s, language)}, {"media", media_json(s, episode, language)},
                {"characters", characters_json(s, scripts)},
                {"content_review", {{"unresolved_blocks", review.unresolved_blocks(language)}, {"model_rules_skipped", review.model_rules_skipped}}},
                {"render", render.empty() ? json(nullptr) : json(render)}, {"review", review_json(s, episode, language, history)},
                {"engines", engines_json(s, episode)}};
    }

    // Which engines made the episode's outputs, as its manifest records them, in the
    // pipeline's order: the people who review a translation see which model made it.
    json engines_json(const Series& s, const std::string& episode) {
        const fs::path file = s.out_dir / episode / "manifest.json";
        return *manifest_engines.get(file, [&] {
            const json manifest = read_json_file(file);
            json out = json::array();
            if (!manifest.is_object() || !manifest.contains("engines") || !manifest["engines"].is_object()) return out;
            const json& engines = manifest["engines"];
            for (const auto& [stage, settings] : pipeline::run_engines({})) {
                if (!engines.contains(stage)) continue;
                const json& e = engines[stage];
                // A manifest of before dramaloc recorded the endpoint holds the backend's name alone.
                const json identity = e.is_object() ? e.value("identity", json(nullptr)) : e;
                if (identity.is_string()) out.push_back({{"stage", stage}, {"identity", identity}});
            }
            return out;
        });
    }

    // Who a line can be given to: the series' cast, its characters met so far
    // (OUT/characters.json), and any speaker the episode's scripts name.
    json characters_json(const Series& s, const json& scripts) {
        json out = json::array();
        std::set<std::string> ids;
        for (const auto& c : s.project.cast)
            if (ids.insert(c.id).second) out.push_back({{"id", c.id}, {"name", c.name}});
        const fs::path file = s.out_dir / "characters.json";
        const auto registry = json_files.get(file, [&] { return read_json_file(file); });
        if (registry->is_object() && registry->contains("characters") && (*registry)["characters"].is_array())
            for (const auto& c : (*registry)["characters"])
                if (c.contains("id") && c["id"].is_string() && ids.insert(c["id"].get<std::string>()).second)
                    out.push_back({{"id", c["id"]}, {"name", c.value("name", "")}});
        for (const auto& [language, script] : scripts.items())
            for (const auto& line : script.value("lines", json::array()))
                if (const std::string id = line.value("speaker", ""); !id.empty() && ids.insert(id).second) out.push_back({{"id", id}, {"name", ""}});
        return out;
    }

    // The language's subtitle rules, for the page's live feedback (the same QC applies).
    static subtitles::SubtitleRules language_rules(const Series& s, const std::string& language) {
        auto rules = subtitles::rules_for_language(language);
        if (s.project.options.config) subtitles::apply_overrides(rules, *s.project.options.config, language);
        return rules;
    }
    static json rules_json(const Series& s, const std::string& language) {
        const auto rules = language_rules(s, language);
        return {{"max_lines", rules.max_lines}, {"max_chars_per_line", rules.max_chars_per_line},
                {"max_chars_per_second", rules.max_chars_per_second}, {"min_duration_ms", rules.min_duration},
                {"max_duration_ms", rules.max_duration}};
    }

    // Where the page gets the episode's picture, the language's dub and subtitles: API paths,
    // each with ?v= changing when the file does (a re-render), or null while there is none.
    json media_json(const Series& s, const std::string& episode, const std::string& language) const {
        const std::string base = "/api/series/" + url_segment(s.id) + "/episodes/" + url_segment(episode);
        const auto version = [](const fs::path& p) -> std::optional<std::string> {
            std::error_code ec;
            const auto size = fs::file_size(p, ec);
            if (ec) return std::nullopt;
            const auto time = fs::last_write_time(p, ec).time_since_epoch().count();
            return std::to_string(size) + "-" + std::to_string(time);
        };
        const auto file = [&](const std::string& name) -> json {
            const auto v = version(s.out_dir / episode / name);
            return v ? json(base + "/files/" + url_segment(name) + "?v=" + *v) : json(nullptr);
        };
        json video = file(episode + ".localized.mp4");
        if (video.is_null())
            if (const auto v = version(find_episode(s, episode))) video = base + "/source?v=" + *v;
        return {{"video", video}, {"dub", file(episode + "." + language + ".dub.wav")}, {"subtitles", file(episode + "." + language + ".vtt")}};
    }

    // The latest decision on the episode × language, and whether it stands (no edit since).
    json review_json(const Series& s, const std::string& episode, const std::string& language, const std::vector<pipeline::LineEdit>& history) {
        const auto reviews = review_logs.get(s.out_dir / "reviews.json", [&] { return pipeline::read_reviews(s.out_dir); });
        const auto review = pipeline::latest_review(*reviews, episode, language);
        if (!review) return nullptr;
        return {{"decision", review->decision}, {"comment", review->comment}, {"who", review->who}, {"when", review->when},
                {"stands", pipeline::review_stands(*review, history)}};
    }

    // Approve or reject an episode × language, naming the revision of every line looked at.
    json post_review(std::size_t index, const std::string& episode, const std::string& language, const http::Request& req,
                     const jobs::TokenInfo& token) {
        const Series& s = series[index];
        const json body = request_object(req);
        pipeline::Review review;
        review.episode = episode;
        review.language = language;
        review.decision = body.value("decision", json()).is_string() ? body["decision"].get<std::string>() : "";
        if (review.decision != "approved" && review.decision != "rejected")
            throw Problem{400, "Bad request", "\"decision\" is \"approved\" or \"rejected\"", {{"field", "decision"}}};
        if (body.contains("comment") && !body["comment"].is_string()) throw Problem{400, "Bad request", "\"comment\" is a string", {{"field", "comment"}}};
        review.comment = body.value("comment", "");
        if (review.decision == "rejected" && review.comment.empty())
            throw Problem{400, "Bad request", "a rejection needs a \"comment\" saying what to fix", {{"field", "comment"}}};
        const auto scripts_read = published(s, episode);
        const json& scripts = *scripts_read;
        if (!scripts.contains(language))
            throw Problem{409, "Not ready", episode + " has no " + language + " script yet: the series has not been run (dramaloc run)"};
        // An approval is of what will ship: not while the outputs still lack an edit.
        if (const int stale = review.decision == "approved" ? stale_lines(episode, language, scripts.at(language), *history_of(s)) : 0;
            stale > 0)
            throw Problem{409, "Not rendered yet",
                          std::to_string(stale) + " edited line(s) are not in the outputs yet; review again once the episode is rendered",
                          {{"stale_lines", stale}}};
        // Nor while a block-severity finding of the market's packs is unresolved.
        if (review.decision == "approved")
            if (const int blocks = policy::review_episode(*s.reviewer, s.project, episode, {language}).unresolved_blocks(language); blocks > 0)
                throw Problem{409, "Blocked by content review",
                              std::to_string(blocks) + " block finding(s) of the content review are unresolved: accept or override each with a "
                              "reason, or edit the line (findings in GET …/lines)",
                              {{"blocking_findings", blocks}}};
        if (!body.contains("revisions") || !body["revisions"].is_object())
            throw Problem{400, "Bad request", "give \"revisions\": the revision of every line you reviewed (line id -> revision, from GET …/lines)", {{"field", "revisions"}}};
        for (const auto& line : scripts.at(language).at("lines")) {
            const std::string id = std::to_string(line.at("id").get<int>());
            if (!body["revisions"].contains(id) || !body["revisions"][id].is_number_integer())
                throw Problem{400, "Bad request", "\"revisions\" has no revision for line " + id + ": a review covers every line", {{"field", "revisions"}}};
            review.revisions[line.at("id").get<int>()] = static_cast<int>(body["revisions"][id].get<long long>());
        }
        review.who = token.label.empty() ? std::string("api") : token.label;
        review.when = pipeline::utc_now();
        const auto outcome = pipeline::record_review(s.out_dir, review);
        if (outcome.recorded) {
            publish(index, "review", {{"episode", episode}, {"language", language}, {"decision", review.decision}, {"who", review.who}});
            update_library(s, episode);
        }
        if (!outcome.recorded)
            throw Problem{409, "Edit conflict",
                          "line " + std::to_string(outcome.line) + " was edited since you reviewed it; it is now at revision " +
                              std::to_string(outcome.revision) + ": review it again",
                          {{"line", outcome.line}, {"revision", outcome.revision}}};
        return {{"review", {{"decision", review.decision}, {"comment", review.comment}, {"who", review.who}, {"when", review.when},
                            {"stands", true}}}};
    }

    // POST …/findings/{finding}: a person's resolution of a content review finding, with a reason.
    json resolve_finding(std::size_t index, const std::string& episode, const std::string& language, const std::string& id,
                         const http::Request& req, const jobs::TokenInfo& token) {
        const Series& s = series[index];
        const json body = request_object(req);
        const std::string decision = body.value("decision", json()).is_string() ? body["decision"].get<std::string>() : "";
        const std::string reason = body.value("reason", json()).is_string() ? body["reason"].get<std::string>() : "";
        if (decision != "accepted" && decision != "overridden")
            throw Problem{400, "Bad request", "\"decision\" is \"accepted\" (the line may stand for this market) or \"overridden\" (a false hit)", {{"field", "decision"}}};
        if (reason.find_first_not_of(" \t\r\n") == std::string::npos) throw Problem{400, "Bad request", "give the \"reason\" for the decision", {{"field", "reason"}}};
        const auto review = policy::review_episode(*s.reviewer, s.project, episode, {language});
        const auto f = std::find_if(review.findings.begin(), review.findings.end(), [&](const policy::Finding& x) { return x.id == id; });
        if (f == review.findings.end())
            throw Problem{404, "No such finding", "the content review of " + episode + " in " + language + " has no finding " + id +
                                                      " now (its line may have changed; see GET …/lines)"};
        policy::Resolution r{f->id, episode, language, f->line, decision, reason, token.label.empty() ? std::string("api") : token.label,
                             pipeline::utc_now(), f->pack, f->pack_version, f->rule};
        policy::record_resolution(s.out_dir, r);
        publish(index, "finding", {{"episode", episode}, {"language", language}, {"line", f->line}, {"finding", id}, {"decision", decision}, {"who", r.who}});
        return {{"finding", policy::finding_json(*f, &r)}};
    }

    // An edit of a line's text (PUT …/lines/{line}) or a re-dub of it (POST …/lines/{line}/redub),
    // against the revision the person saw.
    enum class Change { Text, Redub, Speaker };
    json change_line(std::size_t index, const std::string& episode, const std::string& language, const std::string& line_text,
                     const http::Request& req, const jobs::TokenInfo& token, Change change) {
        const bool redub = change == Change::Redub;
        const Series& s = series[index];
        int line = 0;
        try {
            std::size_t used = 0;
            line = std::stoi(line_text, &used);
            if (used != line_text.size() || line <= 0) throw std::invalid_argument("");
        } catch (const std::exception&) {
            throw Problem{404, "No such line", "\"" + line_text + "\" is not a line id (a positive number)"};
        }
        const json body = request_object(req);
        pipeline::LineEditRequest request;
        request.episode = episode;
        request.language = language;
        request.line = line;
        request.gather_script_file_edits = false;  // `run` records those; the render may be writing them now
        request.redub = redub;
        if (change == Change::Speaker) {
            if (!body.contains("speaker") || !body["speaker"].is_string() || body["speaker"].get<std::string>().empty())
                throw Problem{400, "Bad request", "give the \"speaker\": a character's id (characters in GET …/lines)", {{"field", "speaker"}}};
            request.speaker = body["speaker"].get<std::string>();
            request.languages = s.project.options.target_languages;
        }
        if (body.contains("revert") && !body["revert"].is_boolean())
            throw Problem{400, "Bad request", "\"revert\" is true or false", {{"field", "revert"}}};
        request.revert = change == Change::Text && body.value("revert", false);
        if (!request.revert && change == Change::Text) {
            if (!body.contains("text") || !body["text"].is_string())
                throw Problem{400, "Bad request", "give the line's new \"text\" (a string), or \"revert\": true", {{"field", "text"}}};
            request.text = body["text"].get<std::string>();
            // One line a person can read: within twice what the language's rules allow on screen
            // (QC tells of anything over the rules; this only keeps out what is not a line).
            const auto rules = language_rules(s, language);
            const auto limit = static_cast<std::size_t>(std::max(1, rules.max_lines * rules.max_chars_per_line * 2));
            if (const std::string why = subtitles::line_text_problem(request.text, limit); !why.empty())
                throw Problem{400, "Bad line text", "the line's \"text\" " + why, {{"field", "text"}}};
        }
        if (!body.contains("revision") || !body["revision"].is_number_integer() || body["revision"].get<long long>() < 0 ||
            body["revision"].get<long long>() > 1'000'000'000)
            throw Problem{400, "Bad request", "give the \"revision\" of the line you edited (from GET …/lines)", {{"field", "revision"}}};
        request.revision = static_cast<int>(body["revision"].get<long long>());
        request.who = token.label.empty() ? std::string("api") : token.label;
        request.via = "api";
        const auto scripts_read = published(s, episode);
        const json& scripts = *scripts_read;
        if (!scripts.contains(language))
            throw Problem{409, "Not ready", episode + " has no " + language + " script yet: the series has not been run (dramaloc run)"};
        const auto& lines = scripts.at(language).at("lines");
        if (std::none_of(lines.begin(), lines.end(), [&](const json& l) { return l.at("id").get<int>() == line; }))
            throw Problem{404, "No such line", episode + "'s " + language + " script has no line " + std::to_string(line)};
        if (change == Change::Speaker) {
            const json characters = characters_json(s, scripts);
            if (std::none_of(characters.begin(), characters.end(), [&](const json& c) { return c["id"] == request.speaker; }))
                throw Problem{400, "No such character", "the series has no character \"" + request.speaker + "\" (characters in GET …/lines)",
                          {{"field", "speaker"}}};
        }
        const auto result = pipeline::record_line_edit(s.out_dir, request, nullptr);
        using Outcome = pipeline::LineEditResult::Outcome;
        if (result.outcome == Outcome::Conflict)
            throw Problem{409, "Edit conflict",
                          "line " + std::to_string(line) + " was changed since revision " + std::to_string(*request.revision) +
                              "; it is now at revision " + std::to_string(result.revision),
                          {{"current", {{"text", result.text}, {"revision", result.revision}}}}};
        const bool changed = result.outcome == Outcome::Recorded;
        if (changed) {
            json event = {{"episode", episode}, {"language", language}, {"line", line}, {"text", result.text},
                          {"revision", result.revision}, {"redub", redub}, {"who", request.who}};
            if (change == Change::Speaker) event["speaker"] = request.speaker;
            publish(index, "line", event);
            queue_render(index, episode);
            update_library(s, episode);
        }
        const std::string render = render_of(index, episode);
        json answer = {{"changed", changed}, {"line", {{"id", line}, {"text", result.text}, {"revision", result.revision}}},
                       {"render", render.empty() ? json(nullptr) : json(render)}};
        if (change == Change::Speaker) answer["line"]["speaker"] = request.speaker;
        return answer;
    }

    void queue_render(std::size_t index, const std::string& episode) {
        if (!options.render_edits) return;
        std::lock_guard lock(render_mutex);
        auto& state = render_state[{index, episode}];
        if (state == "queued") return;  // already waiting: it renders every edit made until it starts
        state = "queued";
        render_queue.emplace_back(index, episode);
        render_wake.notify_one();
        keep_event(index, "render", {{"episode", episode}, {"render", state}});
        if (http) http->notify_streams();
    }

    // The factory's incremental path for one episode, as `dramaloc edit` takes it: a plan of
    // that episode, run by workers in this process; every stage the edit does not touch comes
    // from the artifact store.
    void render_loop() {
        while (true) {
            std::pair<std::size_t, std::string> next;
            {
                std::unique_lock lock(render_mutex);
                render_wake.wait(lock, [&] { return stopping || !render_queue.empty(); });
                if (stopping) return;
                next = render_queue.front();
                render_queue.pop_front();
                render_state[next] = "rendering";
            }
            publish(next.first, "render", {{"episode", next.second}, {"render", "rendering"}});
            const Series& s = series[next.first];
            std::string outcome = "done";
            try {
                jobs::PlanOptions plan_options;
                plan_options.series_file = s.project.file;
                plan_options.only_episodes = {next.second};
                const auto plan = jobs::plan_series(plan_options);
                {
                    std::lock_guard lock(store_mutex);
                    store->add(plan.jobs);
                }
                jobs::WorkerOptions w;
                w.name = jobs::local_worker_name(static_cast<long>(::getpid())) + "/serve";
                w.threads = 1;
                w.threads_per_job = options.threads_per_render;
                w.only_series = plan.series;
                w.key_prefix = plan.prefix();
                w.after_publish = after_render;
                jobs::run_worker_pool(*render_store, w);
                // How the plan's jobs ended (a failure that was retried and then worked is no failure).
                for (const auto& j : render_store->list({plan.series, "", "", plan.prefix()}))
                    if (j.state == jobs::JobState::Failed || j.state == jobs::JobState::Cancelled) {
                        outcome = "failed: " + j.error;
                        break;
                    }
            } catch (const std::exception& e) {
                outcome = std::string("failed: ") + e.what();
            }
            log("dramaloc serve: " + s.id + " " + next.second + " rendered again: " + outcome);
            bool told = false;
            {
                std::lock_guard lock(render_mutex);
                if (render_state[next] == "rendering") render_state[next] = outcome, told = true;
            }
            if (told) publish(next.first, "render", {{"episode", next.second}, {"render", outcome}});
        }
    }
    // The renders' own connection: workers heartbeat from threads of their own.
    std::unique_ptr<jobs::JobStore> render_store;
    // What follows a render's publish: the library and the report, for the worker's own copy of
    // the series (not s.project, which uploads change); made once, so packs compile once.
    std::function<void(const pipeline::SeriesProject&, const std::string&)> after_render = policy::after_publish(
        [this](const pipeline::SeriesProject& p) -> search::LibraryIndex& {
            for (const auto& s : series)
                if (s.project.file == p.file) return library_of(s);
            throw InternalError("a render of " + p.file.string() + ", which this server does not serve");
        },
        [this](const std::string& what) { log("dramaloc serve: " + what); });

    // Every route, declared once: its method and path (as docs/openapi.yaml names them), the
    // role it needs, its body and its handler. With no station (routes()), only the table.
    static std::vector<http::Route> make_routes(Impl* self) {
        using http::BodyKind;
        using http::Request;
        using http::Response;
        const auto token = [](const Request& req) -> const jobs::TokenInfo& { return std::any_cast<const jobs::TokenInfo&>(req.principal); };
        const std::string line = "/api/series/{series}/episodes/{episode}/languages/{language}";
        const int viewer = static_cast<int>(Role::Viewer), editor = static_cast<int>(Role::Editor), admin = static_cast<int>(Role::Admin);
        std::vector<http::Route> r = {
            {"GET", "/api/health", BodyKind::None, [](Request&) { return Response::json({{"status", "ok"}, {"version", kVersion}}); }},
            {"POST", "/api/session", BodyKind::Json, [self](Request& req) { return self->sign_in(req); }},
            {"GET", "/api/session", BodyKind::None,
             [self](Request& req) {
                 // Who is signed in: null when no token comes (the page then asks for one).
                 const std::string presented = presented_token(req);
                 return Response::json({{"session", presented.empty() ? json(nullptr) : session_json(self->live_token(presented))}});
             }},
            {"DELETE", "/api/session", BodyKind::None, [](Request&) { return sign_out(); }},
            {"GET", "/api/series", BodyKind::None,
             [self](Request&) {
                 json list = json::array();
                 for (const auto& s : self->series) list.push_back(self->series_json(s));
                 return Response::json({{"series", list}});
             },
             {}, viewer},
            {"GET", "/api/series/{series}/episodes", BodyKind::None,
             [self](Request& req) { return Response::json(self->episodes_json(self->index_of(self->find_series(req.params[0])))); }, {}, viewer},
            {"GET", line + "/lines", BodyKind::None,
             [self](Request& req) { return Response::json(self->lines_json(self->episode_language(req), req.params[1], req.params[2])); }, {}, viewer},
            {"PUT", line + "/lines/{line}", BodyKind::Json,
             [self, token](Request& req) {
                 const std::size_t index = self->episode_language(req);
                 return Response::json(self->change_line(index, req.params[1], req.params[2], req.params[3], req, token(req), Change::Text));
             },
             {}, editor},
            {"POST", line + "/review", BodyKind::Json,
             [self, token](Request& req) {
                 const std::size_t index = self->episode_language(req);
                 return Response::json(self->post_review(index, req.params[1], req.params[2], req, token(req)), 201);
             },
             {}, editor},
            {"POST", line + "/lines/{line}/redub", BodyKind::Json,
             [self, token](Request& req) {
                 const std::size_t index = self->episode_language(req);
                 return Response::json(self->change_line(index, req.params[1], req.params[2], req.params[3], req, token(req), Change::Redub), 202);
             },
             {}, editor},
            {"GET", "/api/series/{series}/episodes/{episode}/files/{file}", BodyKind::None,
             [self](Request& req) {
                 const Series& s = self->find_series(req.params[0]);
                 self->find_episode(s, req.params[1]);
                 const std::string& name = req.params[2];
                 const fs::path file = self->output_file(s, req.params[1], name);  // 404 unless a downloadable output
                 return send_file(req, file, download_type(name));
             },
             {}, viewer},
            {"GET", "/api/series/{series}/episodes/{episode}/source", BodyKind::None,
             [self](Request& req) {
                 const Series& s = self->find_series(req.params[0]);
                 const fs::path source = self->find_episode(s, req.params[1]);
                 const char* type = download_type(source.filename().string());
                 return send_file(req, source, type ? type : "application/octet-stream");
             },
             {}, viewer},
            {"PUT", "/api/series/{series}/episodes/{episode}/source", BodyKind::Upload,
             [self](Request& req) { return Response::json(self->upload_source(self->index_of(self->find_series(req.params[0])), req), 201); },
             [self](Request& req) { return self->upload_file(self->find_series(req.params[0]), req.params[1]); }, admin},
            {"GET", "/api/series/{series}/events", BodyKind::None,
             [self](Request& req) { return self->stream_events(self->index_of(self->find_series(req.params[0])), req); }, {}, viewer},
            {"PUT", line + "/lines/{line}/speaker", BodyKind::Json,
             [self, token](Request& req) {
                 const std::size_t index = self->episode_language(req);
                 return Response::json(self->change_line(index, req.params[1], req.params[2], req.params[3], req, token(req), Change::Speaker));
             },
             {}, editor},
            {"GET", "/api/search", BodyKind::None, [self](Request& req) { return Response::json(self->search_json(req)); }, {}, viewer},
            {"POST", line + "/findings/{finding}", BodyKind::Json,
             [self, token](Request& req) {
                 const std::size_t index = self->episode_language(req);
                 return Response::json(self->resolve_finding(index, req.params[1], req.params[2], req.params[3], req, token(req)), 201);
             },
             {}, editor},
        };
        return r;
    }

    // The review page: files built into the binary, looked up by exact name. For work on the
    // page, DRAMALOC_WEB_DIR (src/server/web) serves the same names from that folder, as they
    // are on disk, without a rebuild.
    static http::Response web_page(const http::Request& req) {
        const std::string path = req.path == "/" ? "/index.html" : req.path;
        for (const auto& asset : web_assets())
            if (asset.path == path) {
                http::Response res;
                res.set_header("Content-Security-Policy",
                               "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
                res.set_header("Cache-Control", "no-cache");
                res.content_type = std::string(asset.type);
                res.body = std::string(asset.body);
                if (const char* dir = std::getenv("DRAMALOC_WEB_DIR"); dir && *dir) {
                    std::ifstream in(fs::path(dir) / path.substr(1), std::ios::binary);
                    if (in) res.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
                }
                return res;
            }
        throw Problem{404, "Not found", "no such page or route (see docs/openapi.yaml)"};
    }

    http::ServerOptions server_options() {
        http::ServerOptions o;
        o.host = options.host;
        o.port = options.port;
        o.handler_threads = std::max<std::size_t>(options.threads, 2);
        o.max_connections = options.max_connections;
        o.max_connections_per_client = options.max_connections_per_client;
        o.max_body_bytes = options.max_body_bytes;
        o.max_upload_bytes = options.max_upload_bytes;
        o.log = options.log;
        o.admit = [this](http::Request& req, const http::Route& route) {
            if (route.role >= 0) req.principal = authorize(req, static_cast<Role>(route.role));
        };
        o.on_error = [this](const http::Request&, std::exception_ptr error) {
            try {
                std::rethrow_exception(error);
            } catch (const Error& e) {
                // Requests are checked before they reach the library, so what it throws here is a
                // damaged file or a failing store: told in the log, not to the client (paths).
                log(std::string("dramaloc serve: ") + e.what());
                return http::Response::problem({503, "Service unavailable", "the server could not do this now; try again (the server's log says why)"});
            } catch (const std::exception& e) {
                log(std::string("dramaloc serve: internal error: ") + e.what());
            } catch (...) {
                log("dramaloc serve: internal error");
            }
            return http::Response::problem({500, "Internal error", "the server failed on this request; its log says why"});
        };
        o.fallback = [](http::Request& req) { return web_page(req); };
        return o;
    }

    // A file of the episode's outputs, by name: found in a listing of its folder (a regular
    // file, not a link), never by joining the name onto a path.
    fs::path output_file(const Series& s, const std::string& episode, const std::string& name) const {
        if (download_type(name)) {
            std::error_code ec;
            for (fs::directory_iterator it(s.out_dir / episode, ec), end; !ec && it != end; it.increment(ec))
                if (it->path().filename().string() == name && it->symlink_status(ec).type() == fs::file_type::regular) return it->path();
        }
        throw Problem{404, "No such file", "episode \"" + episode + "\" has no such output to download (see media in GET …/lines)"};
    }

    // PUT …/episodes/{episode}/source: a new episode's video, streamed by the server to a hidden
    // file beside the series' episodes (upload_file, before the body is read), probed here (the
    // name and the Content-Type prove nothing), and only then put in place under the name the
    // series' `episodes` pattern takes. Whatever fails, nothing is left behind: the server
    // removes the hidden file after the handler.
    fs::path upload_target(const Series& s, const std::string& episode) const {
        static const std::regex kName(R"([A-Za-z0-9][A-Za-z0-9_-]{0,63})");
        if (!std::regex_match(episode, kName))
            throw Problem{400, "Bad episode name", "an episode's name is letters, digits, - and _ (at most 64), starting with a letter or digit"};
        if (episode == "characters")  // OUT/characters/ holds the series' voice references
            throw Problem{400, "Bad episode name", "\"characters\" is the name of the series' own folder of voices; name the episode otherwise"};
        const auto list = episodes_of(s);
        if (std::any_of(list.begin(), list.end(), [&](const fs::path& e) { return e.stem().string() == episode; }))
            throw Problem{409, "Episode exists", "series \"" + s.id + "\" has an episode \"" + episode + "\" already; uploads add episodes"};
        std::string patterns;
        for (const auto& pattern : s.project.episode_patterns) {
            const std::string extension = pattern.extension().string();
            if (extension.find_first_of("*?[") != std::string::npos) continue;  // "ep*.*": no one extension to give it
            const fs::path candidate = pattern.parent_path() / (episode + extension);
            if (::fnmatch(pattern.filename().c_str(), candidate.filename().c_str(), FNM_PERIOD) == 0) return candidate;
            patterns += (patterns.empty() ? "" : ", ") + pattern.filename().string();
        }
        throw Problem{400, "Name not taken by the series",
                      patterns.empty() ? "the series lists its episodes one by one (no pattern): add this one to its file"
                                       : "the series' episodes are named like " + patterns + ": name the episode so"};
    }

    // Where the body goes: a hidden file in the target's folder (renamed into place: the same disk).
    fs::path upload_file(const Series& s, const std::string& episode) const {
        const fs::path target = upload_target(s, episode);
        return target.parent_path() / ("." + episode + ".upload-" + new_token().substr(4, 16));
    }

    json upload_source(std::size_t index, const http::Request& req) {
        Series& s = series[index];
        const std::string& episode = req.params[1];
        const fs::path target = upload_target(s, episode);
        const std::uint64_t got = req.body_bytes;
        media::MediaInfo info;
        try {
            info = media::probe(req.body_file);
        } catch (const Error&) {
            throw Problem{415, "Not a video", "the upload is not a video dramaloc can read (FFmpeg found no media in it); nothing was kept"};
        }
        if (!info.best_video())
            throw Problem{415, "Not a video", "the upload has no video stream (an episode is a video); nothing was kept"};
        {
            std::lock_guard lock(episodes_mutex);
            // link(2) refuses to replace a file: two uploads of one name, one wins.
            if (::link(req.body_file.c_str(), target.c_str()) != 0) {
                if (errno == EEXIST)
                    throw Problem{409, "Episode exists", "an episode named \"" + episode + "\" arrived meanwhile; uploads add episodes"};
                throw IoError("cannot store " + target.string() + ": " + std::strerror(errno));
            }
            auto& list = s.project.episodes;
            list.push_back(target);
            std::sort(list.begin(), list.end(),
                      [](const fs::path& a, const fs::path& b) { return pipeline::natural_less(a.filename().string(), b.filename().string()); });
        }
        log("dramaloc serve: " + s.id + ": episode " + episode + " uploaded (" + std::to_string(got) + " bytes)");
        publish(index, "episode", {{"episode", episode}});
        const auto* audio = info.best_audio();
        return {{"episode", episode}, {"bytes", got}, {"duration_ms", info.duration_ms}, {"width", info.best_video()->width},
                {"height", info.best_video()->height}, {"audio", audio != nullptr}};
    }

    std::size_t index_of(const Series& s) const { return static_cast<std::size_t>(&s - series.data()); }

    // The series of a route …/series/{series}/episodes/{episode}/languages/{language}/…, once
    // the episode and the language are known to be its own (else 404); its index.
    std::size_t episode_language(const http::Request& req) const {
        const Series& s = find_series(req.params[0]);
        find_episode(s, req.params[1]);
        check_language(s, req.params[2]);
        return index_of(s);
    }
};

ReviewServer::ReviewServer(ServeOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    if (impl_->options.series_files.empty() && impl_->options.db_url.empty())
        throw UsageError("give a series file (or several), or --db with the job store to serve");
    std::set<std::string> ids;
    for (const auto& given : impl_->options.series_files) {
        // Absolute: the renders' workers load the series again, and name it as they found it.
        const fs::path file = fs::weakly_canonical(fs::absolute(given));
        Series s;
        s.project = pipeline::load_series_project(file);
        s.id = file.stem().string();
        s.out_dir = s.project.options.out_dir;
        s.reviewer = policy::series_reviewer(s.project);  // a malformed pack stops the server from starting
        if (!ids.insert(s.id).second)
            throw UsageError("two series files are named " + s.id + "; serve them from separate servers, or rename one");
        impl_->series.push_back(std::move(s));
    }
    std::string url = impl_->options.db_url;
    if (url.empty()) url = jobs::default_store_url(impl_->series.front().out_dir);
    impl_->store = jobs::open_job_store(url);
    impl_->render_store = jobs::open_job_store(url);
    impl_->http = std::make_unique<http::Server>(impl_->server_options(), Impl::make_routes(impl_.get()));
}

ReviewServer::~ReviewServer() {
    stop();
    if (impl_->renderer.joinable()) impl_->renderer.join();
    impl_->http.reset();  // its handlers use the station: gone first
}

int ReviewServer::bind() { return impl_->http->bind(); }

void ReviewServer::run() {
    impl_->renderer = std::thread([this] { impl_->render_loop(); });
    impl_->http->run();
    {
        std::lock_guard lock(impl_->render_mutex);
        impl_->stopping = true;
    }
    impl_->render_wake.notify_all();
    if (impl_->renderer.joinable()) impl_->renderer.join();
}

void ReviewServer::stop() {
    {
        std::lock_guard lock(impl_->render_mutex);
        impl_->closing = true;
    }
    impl_->http->stop();
}

std::vector<std::string> ReviewServer::routes() {
    std::vector<std::string> out;
    for (const auto& r : Impl::make_routes(nullptr)) out.push_back(r.method + " " + r.path);
    return out;
}

}  // namespace dramaloc::server
