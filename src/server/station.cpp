#include "server/station.hpp"
#include "server/views.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/resource.h>
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


// Keeps an event for the streams; render_mutex held by the caller, who then wakes them.
void Station::keep_event(std::size_t index, const std::string& name, const json& data) {
    events.push_back({next_event++, index, name, data.dump()});
    while (events.size() > 1000) events.pop_front();
}

void Station::publish(std::size_t index, const std::string& name, const json& data) {
    {
        std::lock_guard lock(render_mutex);
        keep_event(index, name, data);
    }
    if (http) http->notify_streams();
}

void Station::log(const std::string& line) const {
    if (options.log) options.log(line);
}

const Series& Station::find_series(const std::string& id) const {
    for (const auto& s : series)
        if (s.id == id) return s;
    throw Problem{404, "No such series", "this server has no series \"" + id + "\""};
}

std::vector<fs::path> Station::episodes_of(const Series& s) const {
    std::lock_guard lock(episodes_mutex);
    return s.project.episodes;
}

fs::path Station::find_episode(const Series& s, const std::string& name) const {
    for (const auto& e : episodes_of(s))
        if (e.stem().string() == name) return e;
    throw Problem{404, "No such episode", "series \"" + s.id + "\" has no episode \"" + name + "\""};
}

void Station::check_language(const Series& s, const std::string& language) {
    const auto& targets = s.project.options.languages.targets;
    if (std::find(targets.begin(), targets.end(), language) == targets.end())
        throw Problem{404, "No such language", "series \"" + s.id + "\" is not translated into \"" + language + "\""};
}

// The token a request presents: the bearer header (API clients), else the page's session
// cookie (the page, its <video>, <audio> and event stream). A write made with the cookie
// must come from the server's own page: its Origin must name this server.
std::string Station::presented_token(const http::Request& req) {
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
TokenInfo Station::live_token(const std::string& presented) {
    const auto challenge = [](const std::string& error) {
        return std::vector<std::pair<std::string, std::string>>{
            {"WWW-Authenticate", "Bearer realm=\"dramaloc\"" + (error.empty() ? "" : ", error=\"" + error + "\"")}};
    };
    if (presented.empty())
        throw Problem{401, "Unauthorized", "sign in, or send a token as \"Authorization: Bearer TOKEN\" (dramaloc token create)",
                      json::object(), challenge("")};
    const std::string hash = token_hash(presented);
    std::optional<TokenInfo> token;
    token = tokens->find(hash);
    const std::int64_t now = wall_clock_ms();
    if (!token) throw Problem{401, "Unauthorized", "the token is not known to this server's token store", json::object(), challenge("invalid_token")};
    if (token->revoked_ms)
        throw Problem{401, "Unauthorized", "the token was revoked on " + time_or_never(token->revoked_ms) + "; ask for a new one", json::object(),
                      challenge("invalid_token")};
    if (token->expired(now))
        throw Problem{401, "Unauthorized", "the token expired on " + time_or_never(token->expires_ms) + "; ask for a new one", json::object(),
                      challenge("invalid_token")};
    // When it was last used, to the minute (not a write per request).
    // Best effort: a busy store does not refuse the request.
    if (now - token->last_used_ms > 60'000) {
        try {
            tokens->touch(hash);
        } catch (const std::exception& e) {
            log(std::string("dramaloc serve: the token's last use was not recorded: ") + e.what());
        }
    }
    return *token;
}

// The caller's token, when its role allows `needed`.
TokenInfo Station::authorize(const http::Request& req, Role needed) {
    TokenInfo token = live_token(presented_token(req));
    const auto role = role_from_string(token.role);
    if (!role || *role < needed)
        throw Problem{403, "Forbidden", std::string("this needs the ") + to_string(needed) + " role; the token has " + token.role};
    return token;
}

search::LibraryIndex& Station::library_of(const Series& s) {
    const std::string url = options.db_url.empty() ? jobs::default_store_url(s.out_dir) : options.db_url;
    std::lock_guard lock(library_mutex);
    auto& index = libraries[url];
    if (!index) index = search::open_library_index(url);
    return *index;
}

// After an edit or a review: the episode's lines in the library as they now stand. A
// failure is told in the log (the edit itself is recorded); dramaloc reindex repairs it.
void Station::update_library(const Series& s, const std::string& episode) {
    try {
        // The episodes as uploads leave them, read under their lock.
        search::index_episode(library_of(s), s.project, episode, search::episode_order(episodes_of(s), episode));
    } catch (const std::exception& e) {
        log("dramaloc serve: the library was not updated for " + s.id + " " + episode + ": " + e.what() + "; run dramaloc reindex " +
            s.project.file.string());
    }
}


// What the episode's last publish recorded of its languages' lines (manifest "scripts").
// (Shared, not copied: hold the pointer while using what it points to.)
std::shared_ptr<const pipeline::Manifest> Station::manifest_of(const Series& s, const std::string& episode) {
    const fs::path folder = s.out_dir / episode;
    return manifests.get(pipeline::manifest_file(folder), [&] { return pipeline::read_manifest(folder).value_or(pipeline::Manifest{}); });
}

std::shared_ptr<const pipeline::PublishedScripts> Station::published(const Series& s, const std::string& episode) {
    auto manifest = manifest_of(s, episode);
    return {manifest, &manifest->scripts};
}

std::shared_ptr<const std::vector<series::LineEdit>> Station::history_of(const Series& s) {
    const series::EditLog log(s.out_dir);
    return histories.get(log.file(), [&] { return log.history(); });
}

std::string Station::render_of(std::size_t series_index, const std::string& episode) {
    std::lock_guard lock(render_mutex);
    const auto it = render_state.find({series_index, episode});
    return it == render_state.end() ? "" : it->second;
}



// The language's subtitle rules, for the page's live feedback (the same QC applies).
subtitles::SubtitleRules Station::language_rules(const Series& s, const std::string& language) {
    auto rules = subtitles::rules_for_language(language);
    if (s.project.options.languages.config) subtitles::apply_overrides(rules, *s.project.options.languages.config, language);
    return rules;
}

void Station::queue_render(std::size_t index, const std::string& episode) {
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
bool Station::token_revoked(const std::string& hash) const {
    std::lock_guard lock(revoked_mutex);
    return revoked_hashes.count(hash) > 0;
}

void Station::watch_tokens() {
    std::unique_lock lock(render_mutex);
    while (!stopping) {
        lock.unlock();
        try {
            std::set<std::string> revoked;
            for (const auto& t : tokens->list())
                if (t.revoked_ms) revoked.insert(t.hash);
            bool news = false;
            {
                std::lock_guard revoked_lock(revoked_mutex);
                news = revoked != revoked_hashes;
                revoked_hashes = std::move(revoked);
            }
            if (news && http) http->notify_streams();  // the streams of tokens just revoked end now
        } catch (const std::exception& e) {
            log(std::string("dramaloc serve: could not read the tokens to end revoked ones' event streams: ") + e.what());
        }
        lock.lock();
        watch_wake.wait_for(lock, options.token_watch, [&] { return stopping; });
    }
}

void Station::render_loop() {
    // Renders give way to answering people: this thread and every thread it starts (workers,
    // encoders) run at a lower priority than the server's, so a render does not slow the page.
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 10);
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

// The series of a route …/series/{series}/episodes/{episode}/languages/{language}/…, once
// the episode and the language are known to be its own (else 404); its index.
std::size_t Station::episode_language(const http::Request& req) const {
    const Series& s = find_series(req.params[0]);
    find_episode(s, req.params[1]);
    check_language(s, req.params[2]);
    return index_of(s);
}

}  // namespace dramaloc::server

namespace dramaloc::server {

json Station::characters_json(const Series& s, const pipeline::PublishedScripts& scripts) {
    const fs::path file = s.out_dir / "characters.json";
    return views::characters_view(s.project.cast, *json_files.get(file, [&] { return read_json_file(file); }), scripts);
}

json Station::language_names(const Series& s) {
    std::vector<std::string> all = s.project.options.languages.targets;
    all.push_back(s.project.options.source.language);
    return views::language_names(all);
}

}  // namespace dramaloc::server
