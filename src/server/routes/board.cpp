// The production board: people, their assignments and where every episode × language stands
// (docs/board.md): their routes and what the station does for them.
#include "server/station.hpp"

#include <charconv>

#include "core/time.hpp"
#include "jobs/factory.hpp"

namespace dramaloc::server {

Station::Production& Station::production_of(const Series& s) {
    const std::string url = options.db_url.empty() ? jobs::default_store_url(s.out_dir) : options.db_url;
    std::lock_guard lock(production_mutex);
    auto& p = productions[url];
    if (!p) {
        auto made = std::make_unique<Production>();
        made->jobs = jobs::open_job_store(url);
        made->assignments = board::open_assignment_store(url);
        made->deliveries = delivery::open_delivery_log(url);
        p = std::move(made);
    }
    return *p;
}

json Station::board_json(const Series& s, const board::BoardFilter& filter) {
    board::BoardInputs in;
    in.series_id = jobs::series_identity(s.project.file);
    {
        Production& p = production_of(s);
        std::lock_guard lock(p.mutex);
        in.jobs = jobs::latest_plan_jobs(*p.jobs, in.series_id);
        in.deliveries = p.deliveries->list(in.series_id);
        in.assignments = p.assignments->list(in.series_id);
    }
    // The station queues its renders in its own store: the first series' when there is no --db.
    if (options.db_url.empty() && index_of(s) != 0) {
        std::lock_guard lock(store_mutex);
        for (auto& j : jobs::latest_plan_jobs(*store, in.series_id)) in.jobs.push_back(std::move(j));
    }
    in.now_ms = wall_clock_ms();
    in.manifest = [&](const fs::path& folder) -> std::shared_ptr<const pipeline::Manifest> {
        auto m = manifest_of(s, folder.filename().string());
        return m->scripts.empty() && m->failed_languages.empty() ? nullptr : m;  // none, or nothing published in it
    };
    const auto episodes = episodes_of(s);  // uploads add episodes
    const auto reviews = review_logs.get(s.out_dir / "reviews.json", [&] { return series::read_reviews(s.out_dir); });
    const auto history = history_of(s);
    in.episodes = &episodes;
    in.reviews = reviews.get();
    in.history = history.get();
    json out = board::board_json(board::make_board(s.project, in), filter);
    out["series"] = s.id;
    return out;
}

json Station::people_json(const Series& s) {
    Production& p = production_of(s);
    std::lock_guard lock(p.mutex);
    json list = json::array();
    for (const auto& person : p.assignments->people()) list.push_back({{"name", person.name}, {"languages", person.languages}});
    return {{"people", list}};
}

json Station::assignments_json(const Series& s) {
    Production& p = production_of(s);
    std::lock_guard lock(p.mutex);
    json list = json::array();
    for (const auto& a : p.assignments->list(jobs::series_identity(s.project.file))) list.push_back(board::assignment_json(a));
    return {{"series", s.id}, {"assignments", list}};
}

namespace {

// A field of an assignment's body: a string (null clears the reviewer and the due date).
void take(const json& body, const char* field, std::string& into, bool nullable) {
    if (!body.contains(field)) return;
    const json& v = body[field];
    if (v.is_null() && nullable) into.clear();
    else if (v.is_string()) into = v.get<std::string>();
    else throw Problem{400, "Bad request", std::string("\"") + field + "\" is a string" + (nullable ? " or null" : ""), {{"field", field}}};
}

std::int64_t assignment_id(const std::string& text) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        throw Problem{404, "Not found", "no assignment " + text + " in this series"};
    return id;
}

}  // namespace

json Station::save_assignment(const Series& s, const http::Request& req, std::int64_t id) {
    const json body = request_object(req);
    for (const auto& [field, value] : body.items())
        if (field != "language" && field != "first_episode" && field != "last_episode" && field != "linguist" && field != "reviewer" &&
            field != "due")
            throw Problem{400, "Bad request", "\"" + field + "\" is not a field of an assignment", {{"field", field}}};
    Production& p = production_of(s);
    std::lock_guard lock(p.mutex);
    board::Assignment a;
    a.series = jobs::series_identity(s.project.file);
    if (id) {
        const auto found = p.assignments->find(id);
        if (!found || found->series != a.series) throw Problem{404, "Not found", "no assignment " + std::to_string(id) + " in this series"};
        a = *found;
    } else {
        for (const char* field : {"language", "first_episode", "linguist"})
            if (!body.contains(field)) throw Problem{400, "Bad request", std::string("a new assignment needs \"") + field + "\"", {{"field", field}}};
    }
    take(body, "language", a.language, false);
    take(body, "first_episode", a.first_episode, false);
    take(body, "last_episode", a.last_episode, false);
    if (!id && !body.contains("last_episode")) a.last_episode = a.first_episode;
    take(body, "linguist", a.linguist, false);
    take(body, "reviewer", a.reviewer, true);
    take(body, "due", a.due, true);
    std::vector<std::string> episodes;
    for (const auto& e : episodes_of(s)) episodes.push_back(e.stem().string());
    try {
        board::check_assignment(a, p.assignments->people(), s.project.options.languages.targets, episodes);
    } catch (const UsageError& e) {
        throw Problem{400, "Bad request", e.what()};
    }
    if (id) p.assignments->update(a);
    else a = p.assignments->add(a);
    return board::assignment_json(*p.assignments->find(a.id));
}

void add_board_routes(Station* self, std::vector<http::Route>& r) {
    using http::BodyKind;
    using http::Request;
    using http::Response;
    const std::string series = "/api/series/{series}";
    r.push_back({"GET", series + "/board", BodyKind::None,
                 [self](Request& req) {
                     const Series& s = self->find_series(req.params[0]);
                     board::BoardFilter filter;
                     const auto flag = [&](const char* name) {
                         const std::string v = req.param(name);
                         if (v.empty() || v == "0" || v == "false") return false;
                         if (v == "1" || v == "true") return true;
                         throw Problem{400, "Bad request", std::string("?") + name + "= is 1 or 0", {{"field", name}}};
                     };
                     filter.person = flag("mine") ? caller(req).label : req.param("person");
                     filter.late = flag("late");
                     filter.blocked = flag("blocked");
                     filter.language = req.param("language");
                     if (!filter.language.empty()) Station::check_language(s, filter.language);
                     json out = self->board_json(s, filter);
                     out["you"] = caller(req).label;
                     return Response::json(out);
                 },
                 {}, role_needed(Role::Viewer)});
    r.push_back({"GET", series + "/people", BodyKind::None,
                 [self](Request& req) { return Response::json(self->people_json(self->find_series(req.params[0]))); }, {},
                 role_needed(Role::Viewer)});
    r.push_back({"PUT", series + "/people/{person}", BodyKind::Json,
                 [self](Request& req) {
                     const Series& s = self->find_series(req.params[0]);
                     const json body = request_object(req);
                     board::Person person{req.params[1], {}};
                     if (person.name.empty() || person.name.size() > 200)
                         throw Problem{400, "Bad request", "a person's name is 1 to 200 characters", {{"field", "person"}}};
                     if (!body.contains("languages") || !body["languages"].is_array() || body["languages"].empty())
                         throw Problem{400, "Bad request", "\"languages\" lists the languages they work in ([\"es\"])", {{"field", "languages"}}};
                     for (const auto& l : body["languages"]) {
                         if (!l.is_string() || l.get<std::string>().empty() || l.get<std::string>().find(',') != std::string::npos)
                             throw Problem{400, "Bad request", "\"languages\" holds language codes", {{"field", "languages"}}};
                         person.languages.push_back(l.get<std::string>());
                     }
                     Station::Production& p = self->production_of(s);
                     std::lock_guard lock(p.mutex);
                     p.assignments->put_person(person);
                     return Response::json({{"name", person.name}, {"languages", person.languages}});
                 },
                 {}, role_needed(Role::Admin)});
    r.push_back({"DELETE", series + "/people/{person}", BodyKind::None,
                 [self](Request& req) {
                     Station::Production& p = self->production_of(self->find_series(req.params[0]));
                     std::lock_guard lock(p.mutex);
                     if (!p.assignments->remove_person(req.params[1])) throw Problem{404, "Not found", "no person " + req.params[1]};
                     return Response::json({{"removed", req.params[1]}});
                 },
                 {}, role_needed(Role::Admin)});
    r.push_back({"GET", series + "/assignments", BodyKind::None,
                 [self](Request& req) { return Response::json(self->assignments_json(self->find_series(req.params[0]))); }, {},
                 role_needed(Role::Viewer)});
    r.push_back({"POST", series + "/assignments", BodyKind::Json,
                 [self](Request& req) { return Response::json(self->save_assignment(self->find_series(req.params[0]), req, 0), 201); }, {},
                 role_needed(Role::Admin)});
    r.push_back({"PATCH", series + "/assignments/{assignment}", BodyKind::Json,
                 [self](Request& req) {
                     return Response::json(self->save_assignment(self->find_series(req.params[0]), req, assignment_id(req.params[1])));
                 },
                 {}, role_needed(Role::Admin)});
    r.push_back({"DELETE", series + "/assignments/{assignment}", BodyKind::None,
                 [self](Request& req) {
                     const Series& s = self->find_series(req.params[0]);
                     const std::int64_t id = assignment_id(req.params[1]);
                     Station::Production& p = self->production_of(s);
                     std::lock_guard lock(p.mutex);
                     const auto found = p.assignments->find(id);
                     if (!found || found->series != jobs::series_identity(s.project.file) || !p.assignments->remove(id))
                         throw Problem{404, "Not found", "no assignment " + req.params[1] + " in this series"};
                     return Response::json({{"removed", id}});
                 },
                 {}, role_needed(Role::Admin)});
}

}  // namespace dramaloc::server
