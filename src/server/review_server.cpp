#include "server/review_server.hpp"

#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/version.hpp"
#include "jobs/factory.hpp"
#include "jobs/job_store.hpp"
#include "pipeline/edits.hpp"
#include "pipeline/reviews.hpp"
#include "pipeline/series_project.hpp"
#include "server/auth.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::server {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// RFC 9457 problem details: what went wrong for a person to read, never the server's insides.
void send_problem(httplib::Response& res, int status, const std::string& title, const std::string& detail, json extra = json::object()) {
    json body = {{"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    res.status = status;
    res.set_content(body.dump(), "application/problem+json");
}

void send_json(httplib::Response& res, const json& body, int status = 200) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

// Thrown by a handler to answer with a problem.
struct Problem {
    int status;
    std::string title, detail;
    json extra = json::object();
};

// The request's body: a JSON object, else a 400 saying what is wrong with it.
json request_object(const httplib::Request& req) {
    json body;
    try {
        body = json::parse(req.body);
    } catch (const json::parse_error& e) {
        throw Problem{400, "Malformed JSON", std::string("the request body is not JSON: ") + e.what()};
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

struct Series {
    std::string id;  // the series file's name without extension
    pipeline::SeriesProject project;
    fs::path out_dir;
};

struct Route {
    std::string method;   // GET, PUT
    std::string path;     // as docs/openapi.yaml has it: /api/series/{series}/episodes
    std::string pattern;  // the regular expression cpp-httplib matches
};

// One table: what the server answers and what the OpenAPI file must describe.
const std::vector<Route>& route_table() {
    static const std::vector<Route> table = {
        {"GET", "/api/health", R"(/api/health)"},
        {"GET", "/api/series", R"(/api/series)"},
        {"GET", "/api/series/{series}/episodes", R"(/api/series/([^/]+)/episodes)"},
        {"GET", "/api/series/{series}/episodes/{episode}/languages/{language}/lines",
         R"(/api/series/([^/]+)/episodes/([^/]+)/languages/([^/]+)/lines)"},
        {"PUT", "/api/series/{series}/episodes/{episode}/languages/{language}/lines/{line}",
         R"(/api/series/([^/]+)/episodes/([^/]+)/languages/([^/]+)/lines/([^/]+))"},
        {"POST", "/api/series/{series}/episodes/{episode}/languages/{language}/review",
         R"(/api/series/([^/]+)/episodes/([^/]+)/languages/([^/]+)/review)"},
    };
    return table;
}

}  // namespace

struct ReviewServer::Impl {
    ServeOptions options;
    std::vector<Series> series;
    std::unique_ptr<jobs::JobStore> store;
    std::mutex store_mutex;  // the SQLite store is one connection
    httplib::Server http;

    // Renders of edited episodes, one at a time, in the order asked for.
    std::mutex render_mutex;
    std::condition_variable render_wake;
    std::deque<std::pair<std::size_t, std::string>> render_queue;  // (series index, episode)
    std::map<std::pair<std::size_t, std::string>, std::string> render_state;  // queued, rendering, done, failed: why
    bool stopping = false;
    std::thread renderer;

    void log(const std::string& line) const {
        if (options.log) options.log(line);
    }

    const Series& find_series(const std::string& id) const {
        for (const auto& s : series)
            if (s.id == id) return s;
        throw Problem{404, "No such series", "this server has no series \"" + id + "\""};
    }

    static const fs::path& find_episode(const Series& s, const std::string& name) {
        for (const auto& e : s.project.episodes)
            if (e.stem().string() == name) return e;
        throw Problem{404, "No such episode", "series \"" + s.id + "\" has no episode \"" + name + "\""};
    }

    static void check_language(const Series& s, const std::string& language) {
        const auto& targets = s.project.options.target_languages;
        if (std::find(targets.begin(), targets.end(), language) == targets.end())
            throw Problem{404, "No such language", "series \"" + s.id + "\" is not translated into \"" + language + "\""};
    }

    // The caller's token, when its role allows `needed`.
    jobs::TokenInfo authorize(const httplib::Request& req, Role needed) {
        const std::string header = req.get_header_value("Authorization");
        // The scheme's name is case-insensitive (RFC 7235).
        std::string scheme = header.substr(0, std::min<std::size_t>(header.size(), 7));
        for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (header.size() <= 7 || scheme != "bearer ")
            throw Problem{401, "Unauthorized", "send a token as \"Authorization: Bearer TOKEN\" (dramaloc token create)"};
        std::optional<jobs::TokenInfo> token;
        {
            std::lock_guard lock(store_mutex);
            token = store->find_token(token_hash(header.substr(7)));
        }
        if (!token) throw Problem{401, "Unauthorized", "the token is not known to this server's job store"};
        const auto role = role_from_string(token->role);
        if (!role || *role < needed)
            throw Problem{403, "Forbidden", std::string("this needs the ") + to_string(needed) + " role; the token has " + token->role};
        return *token;
    }

    // Runs a handler, turning what it throws into problem details.
    template <typename Body>
    void guarded(httplib::Response& res, Body&& body) {
        try {
            body();
        } catch (const Problem& p) {
            send_problem(res, p.status, p.title, p.detail, p.extra);
        } catch (const Error& e) {
            // Requests are checked before they reach the library, so what it throws here is a
            // damaged file or a failing store: told in the log, not to the client (paths).
            log(std::string("dramaloc serve: ") + e.what());
            send_problem(res, 503, "Service unavailable", "the server could not do this now; try again (the server's log says why)");
        }
    }

    json series_json(const Series& s) const {
        return {{"id", s.id},
                {"title", s.id},
                {"source_language", s.project.options.source_language},
                {"languages", s.project.options.target_languages},
                {"episodes", s.project.episodes.size()}};
    }

    // What the episode's last publish recorded of its languages' lines (manifest "scripts").
    static json published(const Series& s, const std::string& episode) {
        return pipeline::published_scripts(s.out_dir / episode);
    }

    std::string render_of(std::size_t series_index, const std::string& episode) {
        std::lock_guard lock(render_mutex);
        const auto it = render_state.find({series_index, episode});
        return it == render_state.end() ? "" : it->second;
    }

    json episodes_json(std::size_t index) {
        const Series& s = series[index];
        json out = json::array();
        const auto history = pipeline::EditLog(s.out_dir).history();  // the series' one log, read once
        for (const auto& file : s.project.episodes) {
            const std::string name = file.stem().string();
            const json scripts = published(s, name);
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
        const json scripts = published(s, episode);
        if (!scripts.contains(language))
            throw Problem{409, "Not ready", episode + " has no " + language + " script yet: the series has not been run (dramaloc run)"};
        const auto history = pipeline::EditLog(s.out_dir).history();
        // QC findings per line id, from the episode's qc.json.
        std::map<int, json> flags;
        const json qc = read_json_file(s.out_dir / episode / "qc.json");
        if (qc.is_object() && qc.contains("languages") && qc["languages"].contains(language))
            for (const auto& f : qc["languages"][language].value("findings", json::array()))
                if (f.contains("line_id") && f["line_id"].is_number_integer() && f["line_id"].get<int>() > 0)
                    flags[f["line_id"].get<int>()].push_back({{"rule", f.value("rule", "")}, {"severity", f.value("severity", "")},
                                                               {"message", f.value("message", "")}});
        json lines = json::array();
        for (const auto& line : scripts.at(language).at("lines")) {
            const int id = line.at("id").get<int>();
            json edits = json::array();
            std::optional<std::string> in_force;  // the text a person set, or (after a revert) the machine's
            for (const auto& e : history) {
                if (e.episode != episode || e.language != language || e.line != id) continue;
                edits.push_back({{"who", e.who}, {"when", e.when}, {"via", e.via}, {"before", e.before},
                                 {"after", e.revert ? json(nullptr) : json(e.after)}, {"revert", e.revert}});
                in_force = e.revert ? e.machine : e.after;
            }
            const std::string published_text = line.at("text").get<std::string>();
            const int revision = static_cast<int>(edits.size());
            lines.push_back({{"id", id},
                             {"start_ms", line.at("start")},
                             {"end_ms", line.at("end")},
                             {"speaker", line.value("speaker", "")},
                             {"source", line.value("source", "")},
                             {"text", in_force.value_or(published_text)},
                             {"machine", line.value("machine", "")},
                             {"revision", revision},
                             {"stale", revision != line.value("revision", 0)},
                             {"qc", flags.count(id) ? flags[id] : json::array()},
                             {"history", edits}});
        }
        const std::string render = render_of(index, episode);
        return {{"series", s.id}, {"episode", episode}, {"language", language}, {"lines", lines},
                {"render", render.empty() ? json(nullptr) : json(render)}, {"review", review_json(s, episode, language, history)}};
    }

    // The latest decision on the episode × language, and whether it stands (no edit since).
    static json review_json(const Series& s, const std::string& episode, const std::string& language,
                            const std::vector<pipeline::LineEdit>& history) {
        const auto review = pipeline::latest_review(pipeline::read_reviews(s.out_dir), episode, language);
        if (!review) return nullptr;
        return {{"decision", review->decision}, {"comment", review->comment}, {"who", review->who}, {"when", review->when},
                {"stands", pipeline::review_stands(*review, history)}};
    }

    // Approve or reject an episode × language, naming the revision of every line looked at.
    json post_review(std::size_t index, const std::string& episode, const std::string& language, const httplib::Request& req,
                     const jobs::TokenInfo& token) {
        const Series& s = series[index];
        const json body = request_object(req);
        pipeline::Review review;
        review.episode = episode;
        review.language = language;
        review.decision = body.value("decision", json()).is_string() ? body["decision"].get<std::string>() : "";
        if (review.decision != "approved" && review.decision != "rejected")
            throw Problem{400, "Bad request", "\"decision\" is \"approved\" or \"rejected\""};
        if (body.contains("comment") && !body["comment"].is_string()) throw Problem{400, "Bad request", "\"comment\" is a string"};
        review.comment = body.value("comment", "");
        if (review.decision == "rejected" && review.comment.empty())
            throw Problem{400, "Bad request", "a rejection needs a \"comment\" saying what to fix"};
        const json scripts = published(s, episode);
        if (!scripts.contains(language))
            throw Problem{409, "Not ready", episode + " has no " + language + " script yet: the series has not been run (dramaloc run)"};
        if (!body.contains("revisions") || !body["revisions"].is_object())
            throw Problem{400, "Bad request", "give \"revisions\": the revision of every line you reviewed (line id -> revision, from GET …/lines)"};
        for (const auto& line : scripts.at(language).at("lines")) {
            const std::string id = std::to_string(line.at("id").get<int>());
            if (!body["revisions"].contains(id) || !body["revisions"][id].is_number_integer())
                throw Problem{400, "Bad request", "\"revisions\" has no revision for line " + id + ": a review covers every line"};
            review.revisions[line.at("id").get<int>()] = static_cast<int>(body["revisions"][id].get<long long>());
        }
        review.who = token.label.empty() ? std::string("api") : token.label;
        review.when = pipeline::utc_now();
        const auto outcome = pipeline::record_review(s.out_dir, review);
        if (!outcome.recorded)
            throw Problem{409, "Edit conflict",
                          "line " + std::to_string(outcome.line) + " was edited since you reviewed it; it is now at revision " +
                              std::to_string(outcome.revision) + ": review it again",
                          {{"line", outcome.line}, {"revision", outcome.revision}}};
        return {{"review", {{"decision", review.decision}, {"comment", review.comment}, {"who", review.who}, {"when", review.when},
                            {"stands", true}}}};
    }

    json put_line(std::size_t index, const std::string& episode, const std::string& language, const std::string& line_text,
                  const httplib::Request& req, const jobs::TokenInfo& token) {
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
        if (body.contains("revert") && !body["revert"].is_boolean())
            throw Problem{400, "Bad request", "\"revert\" is true or false"};
        request.revert = body.value("revert", false);
        if (!request.revert) {
            if (!body.contains("text") || !body["text"].is_string())
                throw Problem{400, "Bad request", "give the line's new \"text\" (a string), or \"revert\": true"};
            request.text = body["text"].get<std::string>();
            if (request.text.empty() || request.text.find_first_of("\r\n") != std::string::npos || !subtitles::is_valid_utf8(request.text))
                throw Problem{400, "Bad request", "a line's text is one non-empty line of UTF-8 text"};
        }
        if (!body.contains("revision") || !body["revision"].is_number_integer() || body["revision"].get<long long>() < 0 ||
            body["revision"].get<long long>() > 1'000'000'000)
            throw Problem{400, "Bad request", "give the \"revision\" of the line you edited (from GET …/lines)"};
        request.revision = static_cast<int>(body["revision"].get<long long>());
        request.who = token.label.empty() ? std::string("api") : token.label;
        request.via = "api";
        const json scripts = published(s, episode);
        if (!scripts.contains(language))
            throw Problem{409, "Not ready", episode + " has no " + language + " script yet: the series has not been run (dramaloc run)"};
        const auto& lines = scripts.at(language).at("lines");
        if (std::none_of(lines.begin(), lines.end(), [&](const json& l) { return l.at("id").get<int>() == line; }))
            throw Problem{404, "No such line", episode + "'s " + language + " script has no line " + std::to_string(line)};
        const auto result = pipeline::record_line_edit(s.out_dir, request, nullptr);
        using Outcome = pipeline::LineEditResult::Outcome;
        if (result.outcome == Outcome::Conflict)
            throw Problem{409, "Edit conflict",
                          "line " + std::to_string(line) + " was changed since revision " + std::to_string(*request.revision) +
                              "; it is now at revision " + std::to_string(result.revision),
                          {{"current", {{"text", result.text}, {"revision", result.revision}}}}};
        const bool changed = result.outcome == Outcome::Recorded;
        if (changed) queue_render(index, episode);
        const std::string render = render_of(index, episode);
        return {{"changed", changed}, {"line", {{"id", line}, {"text", result.text}, {"revision", result.revision}}},
                {"render", render.empty() ? json(nullptr) : json(render)}};
    }

    void queue_render(std::size_t index, const std::string& episode) {
        if (!options.render_edits) return;
        std::lock_guard lock(render_mutex);
        auto& state = render_state[{index, episode}];
        if (state == "queued") return;  // already waiting: it renders every edit made until it starts
        state = "queued";
        render_queue.emplace_back(index, episode);
        render_wake.notify_one();
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
            std::lock_guard lock(render_mutex);
            if (render_state[next] == "rendering") render_state[next] = outcome;
        }
    }
    // The renders' own connection: workers heartbeat from threads of their own.
    std::unique_ptr<jobs::JobStore> render_store;

    void add_routes() {
        http.set_payload_max_length(options.max_body_bytes);
        http.set_exception_handler([this](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
            try {
                if (error) std::rethrow_exception(error);
            } catch (const std::exception& e) {
                log(std::string("dramaloc serve: internal error: ") + e.what());
            } catch (...) {
                log("dramaloc serve: internal error");
            }
            send_problem(res, 500, "Internal error", "the server failed on this request; its log says why");
        });
        http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return;  // a handler's own answer
            if (res.status == 404) send_problem(res, 404, "Not found", "no such route (see docs/openapi.yaml)");
            else if (res.status == 413) send_problem(res, 413, "Payload too large", "the request body is larger than this server accepts");
            else send_problem(res, res.status, "Error", "the request could not be served");
        });
        http.Get(route_table()[0].pattern, [](const httplib::Request&, httplib::Response& res) {
            send_json(res, {{"status", "ok"}, {"version", kVersion}});
        });
        http.Get(route_table()[1].pattern, [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                authorize(req, Role::Viewer);
                json list = json::array();
                for (const auto& s : series) list.push_back(series_json(s));
                send_json(res, {{"series", list}});
            });
        });
        http.Get(route_table()[2].pattern, [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                authorize(req, Role::Viewer);
                const Series& s = find_series(req.matches[1]);
                send_json(res, episodes_json(index_of(s)));
            });
        });
        http.Get(route_table()[3].pattern, [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                authorize(req, Role::Viewer);
                const Series& s = find_series(req.matches[1]);
                find_episode(s, req.matches[2]);
                check_language(s, req.matches[3]);
                send_json(res, lines_json(index_of(s), req.matches[2], req.matches[3]));
            });
        });
        http.Put(route_table()[4].pattern, [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                const auto token = authorize(req, Role::Editor);
                const Series& s = find_series(req.matches[1]);
                find_episode(s, req.matches[2]);
                check_language(s, req.matches[3]);
                send_json(res, put_line(index_of(s), req.matches[2], req.matches[3], req.matches[4], req, token));
            });
        });
        http.Post(route_table()[5].pattern, [this](const httplib::Request& req, httplib::Response& res) {
            guarded(res, [&] {
                const auto token = authorize(req, Role::Editor);
                const Series& s = find_series(req.matches[1]);
                find_episode(s, req.matches[2]);
                check_language(s, req.matches[3]);
                send_json(res, post_review(index_of(s), req.matches[2], req.matches[3], req, token), 201);
            });
        });
    }

    std::size_t index_of(const Series& s) const { return static_cast<std::size_t>(&s - series.data()); }
};

ReviewServer::ReviewServer(ServeOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    if (impl_->options.series_files.empty() && impl_->options.db_url.empty())
        throw UsageError("give a series file (or several), or --db with the job store to serve");
    std::set<std::string> ids;
    for (const auto& file : impl_->options.series_files) {
        Series s;
        s.project = pipeline::load_series_project(file);
        s.id = file.stem().string();
        s.out_dir = s.project.options.out_dir;
        if (!ids.insert(s.id).second)
            throw UsageError("two series files are named " + s.id + "; serve them from separate servers, or rename one");
        impl_->series.push_back(std::move(s));
    }
    std::string url = impl_->options.db_url;
    if (url.empty()) url = jobs::default_store_url(impl_->series.front().out_dir);
    impl_->store = jobs::open_job_store(url);
    impl_->render_store = jobs::open_job_store(url);
    impl_->add_routes();
}

ReviewServer::~ReviewServer() {
    stop();
    if (impl_->renderer.joinable()) impl_->renderer.join();
}

int ReviewServer::bind() {
    const auto& o = impl_->options;
    const int port = o.port == 0 ? impl_->http.bind_to_any_port(o.host) : (impl_->http.bind_to_port(o.host, o.port) ? o.port : -1);
    if (port <= 0)
        throw IoError("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                      " (in use, or not an address of this machine); give another with --listen HOST:PORT");
    return port;
}

void ReviewServer::run() {
    impl_->renderer = std::thread([this] { impl_->render_loop(); });
    impl_->http.listen_after_bind();
    {
        std::lock_guard lock(impl_->render_mutex);
        impl_->stopping = true;
    }
    impl_->render_wake.notify_all();
    if (impl_->renderer.joinable()) impl_->renderer.join();
}

void ReviewServer::stop() { impl_->http.stop(); }

std::vector<std::string> ReviewServer::routes() {
    std::vector<std::string> out;
    for (const auto& r : route_table()) out.push_back(r.method + " " + r.path);
    return out;
}

}  // namespace dramaloc::server
