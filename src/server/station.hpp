#pragma once
// The review station's state and what its resources do: one Station per `dramaloc serve`,
// shared by the routes (server/routes/*.cpp, one file per resource, each declaring its routes
// with their handlers) and made by ReviewServer (review_server.cpp). Answers are built from
// the series' files (read through caches keyed by the files' identity) and the job store.
#include <any>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "board/assignments.hpp"
#include "board/board.hpp"
#include "core/error.hpp"
#include "delivery/delivery_log.hpp"
#include "jobs/job_store.hpp"
#include "server/token_store.hpp"
#include "series/edit_log.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/qc.hpp"
#include "series/review_log.hpp"
#include "series/project.hpp"
#include "policy/content_review.hpp"
#include "search/library.hpp"
#include "server/auth.hpp"
#include "server/http.hpp"
#include "server/review_server.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::server {

namespace fs = std::filesystem;
using nlohmann::json;
using http::Problem;

// The request's body: a JSON object, else a 400 saying what is wrong with it (where, never
// the JSON library's own words).
json request_object(const http::Request& req);

json read_json_file(const fs::path& path);

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
    std::shared_ptr<const policy::ContentReviewer> content_reviewer;  // its policy packs and glossary, compiled once
    std::string id;  // the series file's name without extension
    series::SeriesProject project;  // its `episodes` grow with uploads: read through episodes_of()
    fs::path out_dir;
};

// A server-sent event for the series' pages (GET …/events): a render's state, a line changed.
struct Event {
    std::uint64_t id;
    std::size_t series;
    std::string name;  // "render", "line", "review"
    std::string data;  // JSON
};

struct Station {
    ServeOptions options;
    std::vector<Series> series;
    std::unique_ptr<jobs::JobStore> store;
    std::mutex store_mutex;  // the SQLite store is one connection
    std::unique_ptr<TokenStore> tokens;  // who may use the station
    std::unique_ptr<http::Server> http;  // made once the routes are

    // Renders of edited episodes, one at a time, in the order asked for.
    std::mutex render_mutex;
    std::condition_variable render_wake;
    std::deque<std::pair<std::size_t, std::string>> render_queue;  // (series index, episode)
    std::map<std::pair<std::size_t, std::string>, std::string> render_state;  // queued, rendering, done, failed: why
    bool stopping = false;
    std::thread renderer;
    std::condition_variable watch_wake;  // the token watch, woken to stop
    std::thread token_watch;
    mutable std::mutex revoked_mutex;
    std::set<std::string> revoked_hashes;

    // Events for the pages (under render_mutex): the last ones kept, so that a page that
    // reconnects with Last-Event-ID misses nothing recent.
    std::deque<Event> events;
    std::uint64_t next_event = 1;
    bool closing = false;  // the server stops: event streams end

    // The series' episodes now (an upload adds one while others read).
    mutable std::mutex episodes_mutex;

    // The library of each series: in its job store's database, as `dramaloc run` keeps it
    // (--db, else the series' own OUT/.dramaloc-jobs.db), opened once per database.
    std::mutex library_mutex;
    std::map<std::string, std::unique_ptr<search::LibraryIndex>> libraries;

    // Each series database's production: its people and assignments, its jobs and deliveries
    // (the board's inputs), opened once per database; a connection is used under its mutex.
    struct Production {
        std::mutex mutex;
        std::unique_ptr<jobs::JobStore> jobs;
        std::unique_ptr<board::AssignmentStore> assignments;
        std::unique_ptr<delivery::DeliveryLog> deliveries;
    };
    std::mutex production_mutex;
    std::map<std::string, std::unique_ptr<Production>> productions;

    // The last answer of GET …/lines per episode × language, with what it was made from.
    struct CachedAnswer {
        std::string inputs, body, etag;
    };
    std::mutex answers_mutex;
    std::map<std::string, std::shared_ptr<const CachedAnswer>> answers;
    // Answers being made, with their inputs: one request makes each, those asking meanwhile wait.
    std::map<std::string, std::pair<std::string, std::shared_future<std::shared_ptr<const CachedAnswer>>>> answers_made;

    // Files read by every page that looks, parsed again only when they change.
    FileCache<json> json_files;
    FileCache<pipeline::Manifest> manifests;
    FileCache<std::map<std::string, std::vector<pipeline::QcFinding>>> qc_findings;  // qc.json's, by language
    FileCache<std::vector<series::LineEdit>> histories;
    FileCache<std::vector<series::Review>> review_logs;

    // An edit of a line's text (PUT …/lines/{line}) or a re-dub of it (POST …/lines/{line}/redub),
    // against the revision the person saw.
    enum class Change { Text, Redub, Speaker };

    // The renders' own connection: workers heartbeat from threads of their own.
    std::unique_ptr<jobs::JobStore> render_store;

    // What follows a render's publish: the library and the report, for the worker's own copy of
    // the series (not s.project, which uploads change); made once, so packs compile once.
    std::function<void(const series::SeriesProject&, const std::string&)> after_render = policy::after_publish(
        [this](const series::SeriesProject& p) -> search::LibraryIndex& {
            for (const auto& s : series)
                if (s.project.file == p.file) return library_of(s);
            throw InternalError("a render of " + p.file.string() + ", which this server does not serve");
        },
        [this](const std::string& what) { log("dramaloc serve: " + what); });

    // ---- shared by every resource (station.cpp) ----

    // Keeps an event for the streams; render_mutex held by the caller, who then wakes them.
    void keep_event(std::size_t index, const std::string& name, const json& data);

    void publish(std::size_t index, const std::string& name, const json& data);

    void log(const std::string& line) const;

    const Series& find_series(const std::string& id) const;

    std::vector<fs::path> episodes_of(const Series& s) const;

    fs::path find_episode(const Series& s, const std::string& name) const;

    static void check_language(const Series& s, const std::string& language);

    // The token a request presents: the bearer header (API clients), else the page's session
    // cookie (the page, its <video>, <audio> and event stream). A write made with the cookie
    // must come from the server's own page: its Origin must name this server.
    static std::string presented_token(const http::Request& req);

    // The token whose value this is, live; 401 otherwise.
    TokenInfo live_token(const std::string& presented);

    // The caller's token, when its role allows `needed`.
    TokenInfo authorize(const http::Request& req, Role needed);

    search::LibraryIndex& library_of(const Series& s);

    // After an edit or a review: the episode's lines in the library as they now stand. A
    // failure is told in the log (the edit itself is recorded); dramaloc reindex repairs it.
    void update_library(const Series& s, const std::string& episode);

    // The series' languages by their English names ("es" -> "Spanish"), for people to read.
    static json language_names(const Series& s);

    // What the episode's last publish recorded of its languages' lines (manifest "scripts").
    // (Shared, not copied: hold the pointer while using what it points to.)
    std::shared_ptr<const pipeline::PublishedScripts> published(const Series& s, const std::string& episode);
    // The episode's manifest as its last publish wrote it (empty when there is none).
    std::shared_ptr<const pipeline::Manifest> manifest_of(const Series& s, const std::string& episode);

    std::shared_ptr<const std::vector<series::LineEdit>> history_of(const Series& s);

    std::string render_of(std::size_t series_index, const std::string& episode);

    // Who a line can be given to: the series' cast, its characters met so far
    // (OUT/characters.json), and any speaker the episode's scripts name.
    json characters_json(const Series& s, const pipeline::PublishedScripts& scripts);

    // The language's subtitle rules, for the page's live feedback (the same QC applies).
    static subtitles::SubtitleRules language_rules(const Series& s, const std::string& language);

    void queue_render(std::size_t index, const std::string& episode);

    // Every 30 s until stopping: which tokens were revoked (by `dramaloc token revoke`, from
    // anywhere), so that their open event streams end.
    void watch_tokens();
    bool token_revoked(const std::string& hash) const;

    // The factory's incremental path for one episode, as `dramaloc edit` takes it: a plan of
    // that episode, run by workers in this process; every stage the edit does not touch comes
    // from the artifact store.
    void render_loop();

    std::size_t index_of(const Series& s) const { return static_cast<std::size_t>(&s - series.data()); }

    // The series of a route …/series/{series}/episodes/{episode}/languages/{language}/…, once
    // the episode and the language are known to be its own (else 404); its index.
    std::size_t episode_language(const http::Request& req) const;

    // ---- the production board: people, assignments, where every version stands (routes/board.cpp) ----

    // The production of the series' database (--db, else its own OUT/.dramaloc-jobs.db).
    Production& production_of(const Series& s);

    // The series' board as of now (the filter applied to its versions; the figures are all).
    json board_json(const Series& s, const board::BoardFilter& filter);

    json people_json(const Series& s);
    json assignments_json(const Series& s);
    // POST …/assignments (a new one) and PATCH …/assignments/{id} (the fields given change),
    // checked against the people and the series; 400 saying what to fix.
    json save_assignment(const Series& s, const http::Request& req, std::int64_t id);

    // ---- signing in and out (routes/session.cpp) ----

    // POST /api/session: the page signs in with a token; the answer sets it as the session
    // cookie, HttpOnly and SameSite=Strict, for as long as the token lives (Secure behind TLS).
    http::Response sign_in(const http::Request& req);

    static http::Response sign_out();

    // ---- series and their episodes (routes/series.cpp) ----

    json series_json(const Series& s) const;

    json episodes_json(std::size_t index);

    // ---- lines and their edits (routes/lines.cpp) ----

    json lines_json(std::size_t index, const std::string& episode, const std::string& language);
    std::string lines_inputs(std::size_t index, const std::string& episode, const std::string& language);
    http::Response lines_answer(const http::Request& req);

    // Which engines made the episode's outputs, as its manifest records them, in the
    // pipeline's order: the people who review a translation see which model made it.
    json engines_json(const Series& s, const std::string& episode);

    static json rules_json(const Series& s, const std::string& language);

    // Where the page gets the episode's picture, the language's dub and subtitles: API paths,
    // each with ?v= changing when the file does (a re-render), or null while there is none.
    json media_json(const Series& s, const std::string& episode, const std::string& language) const;

    json change_line(std::size_t index, const std::string& episode, const std::string& language, const std::string& line_text,
                     const http::Request& req, const TokenInfo& token, Change change);

    // ---- approvals and content review findings (routes/reviews.cpp) ----

    // The latest decision on the episode × language, and whether it stands (no edit since).
    json review_json(const Series& s, const std::string& episode, const std::string& language, const std::vector<series::LineEdit>& history);

    // Approve or reject an episode × language, naming the revision of every line looked at.
    json post_review(std::size_t index, const std::string& episode, const std::string& language, const http::Request& req,
                     const TokenInfo& token);

    // POST …/findings/{finding}: a person's resolution of a content review finding, with a reason.
    json resolve_finding(std::size_t index, const std::string& episode, const std::string& language, const std::string& id,
                         const http::Request& req, const TokenInfo& token);

    // ---- downloads and uploads (routes/files.cpp) ----

    // A file of the episode's outputs, by name: found in a listing of its folder (a regular
    // file, not a link), never by joining the name onto a path.
    fs::path output_file(const Series& s, const std::string& episode, const std::string& name) const;

    // PUT …/episodes/{episode}/source: a new episode's video, streamed by the server to a hidden
    // file beside the series' episodes (upload_file, before the body is read), probed here (the
    // name and the Content-Type prove nothing), and only then put in place under the name the
    // series' `episodes` pattern takes. Whatever fails, nothing is left behind: the server
    // removes the hidden file after the handler.
    fs::path upload_target(const Series& s, const std::string& episode) const;

    // Where the body goes: a hidden file in the target's folder (renamed into place: the same disk).
    fs::path upload_file(const Series& s, const std::string& episode) const;

    json upload_source(std::size_t index, const http::Request& req);

    // ---- the event stream (routes/events.cpp) ----

    // GET …/events: text/event-stream of the series' events, from now (or after Last-Event-ID),
    // beginning with the render state of every episode that has one; a comment every 10 s
    // keeps proxies from closing it. A stream holds no thread: the server asks its feed for
    // news when publish() tells it of some.
    http::Response stream_events(std::size_t index, const http::Request& req);

    // The series' events after id `after` as event-stream text; render_mutex held.
    std::string news_after(std::size_t index, std::uint64_t after) const;

    // ---- the library (routes/search.cpp) ----

    // GET /api/search: the served series' libraries asked one by one (each may be its own
    // database), their hits merged in the library's order.
    json search_json(const http::Request& req);

};

// Each resource's routes, added to `routes` (station null: only the table, for ReviewServer::routes()).
void add_session_routes(Station* station, std::vector<http::Route>& routes);
void add_series_routes(Station* station, std::vector<http::Route>& routes);
void add_lines_routes(Station* station, std::vector<http::Route>& routes);
void add_reviews_routes(Station* station, std::vector<http::Route>& routes);
void add_files_routes(Station* station, std::vector<http::Route>& routes);
void add_events_routes(Station* station, std::vector<http::Route>& routes);
void add_search_routes(Station* station, std::vector<http::Route>& routes);
void add_board_routes(Station* station, std::vector<http::Route>& routes);

// The role a route needs, as http::Route has it.
constexpr int role_needed(Role role) { return static_cast<int>(role); }
// The token admission found (the route declared a role).
inline const TokenInfo& caller(const http::Request& req) { return std::any_cast<const TokenInfo&>(req.principal); }

}  // namespace dramaloc::server
