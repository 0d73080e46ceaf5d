// Series and their episodes: their routes and what the station does for them.
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


json Station::series_json(const Series& s) const {
    const std::string title = s.project.options.languages.series ? s.project.options.languages.series->title : "";
    return {{"id", s.id},
            {"title", title.empty() ? s.id : title},
            {"source_language", s.project.options.source.language},
            {"languages", s.project.options.languages.targets},
            {"language_names", language_names(s)},
            {"episodes", episodes_of(s).size()}};
}

json Station::episodes_json(std::size_t index) {
    const Series& s = series[index];
    json out = json::array();
    const auto history_read = history_of(s);  // the series' one log, read once
    const auto& history = *history_read;
    for (const auto& file : episodes_of(s)) {
        const std::string name = file.stem().string();
        const auto scripts_read = published(s, name);
        const auto& scripts = *scripts_read;
        json languages = json::object();
        for (const auto& language : s.project.options.languages.targets) {
            const auto script = scripts.find(language);
            json l = {{"published", script != scripts.end()}};
            if (script != scripts.end()) {
                l["lines"] = script->second.lines.size();
                l["stale"] = series::stale_lines(name, language, script->second, history) > 0;
            }
            languages[language] = l;
        }
        const std::string render = render_of(index, name);
        out.push_back({{"id", name}, {"languages", languages}, {"render", render.empty() ? json(nullptr) : json(render)}});
    }
    return {{"series", s.id}, {"episodes", out}};
}

void add_series_routes(Station* self, std::vector<http::Route>& r) {
    using http::BodyKind;
    using http::Request;
    using http::Response;
    r.push_back({"GET", "/api/series", BodyKind::None,
                 [self](Request&) {
                     json list = json::array();
                     for (const auto& s : self->series) list.push_back(self->series_json(s));
                     return Response::json({{"series", list}});
                 },
                 {}, role_needed(Role::Viewer)});
    r.push_back({"GET", "/api/series/{series}/episodes", BodyKind::None,
                 [self](Request& req) { return Response::json(self->episodes_json(self->index_of(self->find_series(req.params[0])))); }, {},
                 role_needed(Role::Viewer)});
}

}  // namespace dramaloc::server
