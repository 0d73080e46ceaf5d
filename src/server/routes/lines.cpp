// Lines and their edits: their routes and what the station does for them.
#include "server/station.hpp"
#include "server/views.hpp"

#include <fcntl.h>
#include <sys/stat.h>
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
#include "core/hash.hpp"
#include "core/language.hpp"
#include "core/time.hpp"
#include "core/version.hpp"
#include "jobs/factory.hpp"
#include "media/probe.hpp"
#include "search/library_lines.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::server {


json Station::lines_json(std::size_t index, const std::string& episode, const std::string& language) {
    const Series& s = series[index];
    const auto scripts_read = published(s, episode);
    const auto& scripts = *scripts_read;
    if (!scripts.count(language))
        throw Problem{409, "Not ready", episode + " has no " + language + " script yet: the series has not been run (dramaloc run)"};
    const auto history_read = history_of(s);
    const auto& history = *history_read;
    // QC findings per line id, from the episode's qc.json.
    const fs::path qc_file = s.out_dir / episode / "qc.json";
    auto flags = views::qc_flags(*qc_findings.get(qc_file, [&] { return pipeline::read_qc_findings(s.out_dir / episode); }), language);
    // The content review of the lines as they now stand (packs and glossary), with resolutions.
    const auto review = policy::review_content(*s.content_reviewer, s.project, episode, {language});
    std::map<int, json> findings;
    for (const auto& f : review.findings) {
        const auto r = review.resolutions.find(f.id);
        findings[f.line].push_back(policy::finding_json(f, r == review.resolutions.end() ? nullptr : &r->second));
    }
    json lines = json::array();
    for (const auto& line : scripts.at(language).lines)
        lines.push_back(views::line_view(line, history, episode, language, flags[line.id], findings[line.id]));
    const std::string render = render_of(index, episode);
    const std::string title = s.project.options.languages.series ? s.project.options.languages.series->title : "";
    return {{"series", s.id}, {"series_title", title.empty() ? s.id : title}, {"episode", episode}, {"language", language},
            {"source_language", s.project.options.source.language}, {"language_names", language_names(s)},
            {"direction", is_right_to_left(language) ? "rtl" : "ltr"}, {"lines", lines},
            {"rules", rules_json(s, language)}, {"media", media_json(s, episode, language)},
            {"characters", characters_json(s, scripts)},
            {"content_review", {{"unresolved_blocks", review.unresolved_blocks(language)}, {"model_rules_skipped", review.model_rules_skipped}}},
            {"render", render.empty() ? json(nullptr) : json(render)}, {"review", review_json(s, episode, language, history)},
            {"engines", engines_json(s, episode)}};
}

// Which engines made the episode's outputs, as its manifest records them, in the
// pipeline's order: the people who review a translation see which model made it.
// What GET …/lines answers depends on: the files it reads in the episode's outputs folder
// (each replaced by rename, so a new file is a new inode), the folder itself (anything else
// renamed into it), the series' logs, the source video, and the render under way. Their
// identities, as one string.
std::string Station::lines_inputs(std::size_t index, const std::string& episode, const std::string& language) {
    const Series& s = series[index];
    std::string key = render_of(index, episode);
    const auto identity = [&](const fs::path& p) {
        struct ::stat st {};
        if (::stat(p.c_str(), &st) != 0) return std::string("-|");
        return std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
               std::to_string(st.st_mtim.tv_nsec) + "|";
    };
    const fs::path folder = s.out_dir / episode;
    key += "|" + identity(folder) + identity(find_episode(s, episode));
    for (const std::string& name : {std::string("manifest.json"), std::string("qc.json"), episode + ".localized.mp4",
                                   episode + "." + language + ".dub.wav", episode + "." + language + ".vtt", episode + "." + language + ".script.json"})
        key += identity(folder / name);
    for (const char* name : {"edits.json", "reviews.json", "characters.json", "content-resolutions.json"}) key += identity(s.out_dir / name);
    return key;
}

// GET …/lines, answered from the last answer while nothing it depends on changed, with an
// ETag (the answer's hash) so a page that has it gets 304 and no body.
http::Response Station::lines_answer(const http::Request& req) {
    const std::size_t index = episode_language(req);
    const std::string& episode = req.params[1];
    const std::string& language = req.params[2];
    const std::string cache_key = std::to_string(index) + "/" + episode + "/" + language;
    const std::string inputs = lines_inputs(index, episode, language);
    std::shared_ptr<const CachedAnswer> answer;
    std::shared_future<std::shared_ptr<const CachedAnswer>> wait_for;
    std::promise<std::shared_ptr<const CachedAnswer>> making;
    {
        std::lock_guard lock(answers_mutex);
        if (const auto it = answers.find(cache_key); it != answers.end() && it->second->inputs == inputs) answer = it->second;
        else if (const auto m = answers_made.find(cache_key); m != answers_made.end() && m->second.first == inputs) wait_for = m->second.second;
        else answers_made[cache_key] = {inputs, making.get_future().share()};  // made here; others asking meanwhile wait for it
    }
    if (!answer && wait_for.valid()) answer = wait_for.get();
    if (!answer) {
        try {
            auto made = std::make_shared<CachedAnswer>();
            made->inputs = inputs;
            made->body = lines_json(index, episode, language).dump(-1, ' ', false, json::error_handler_t::replace);
            made->etag = "\"" + hash_hex(made->body) + "\"";
            answer = made;
            making.set_value(answer);
        } catch (...) {
            making.set_exception(std::current_exception());
            std::lock_guard lock(answers_mutex);
            if (const auto m = answers_made.find(cache_key); m != answers_made.end() && m->second.first == inputs) answers_made.erase(m);
            throw;
        }
        // Kept unless a request with newer inputs has kept its answer meanwhile.
        std::lock_guard lock(answers_mutex);
        if (const auto m = answers_made.find(cache_key); m != answers_made.end() && m->second.first == inputs) {
            answers_made.erase(m);
            answers[cache_key] = answer;
        }
    }
    http::Response res;
    res.set_header("ETag", answer->etag);
    // Kept by the browser alone (private), asked again every time (no-cache): a 304 saves the body.
    res.set_header("Cache-Control", "private, no-cache");
    if (req.header("If-None-Match") == answer->etag) {
        res.status = 304;
        return res;
    }
    res.content_type = "application/json";
    res.body = answer->body;
    return res;
}

json Station::engines_json(const Series& s, const std::string& episode) {
    return views::engines_view(*manifest_of(s, episode));
}

json Station::rules_json(const Series& s, const std::string& language) { return views::rules_view(language_rules(s, language)); }

// Where the page gets the episode's picture, the language's dub and subtitles: API paths,
// each with ?v= changing when the file does (a re-render), or null while there is none.
json Station::media_json(const Series& s, const std::string& episode, const std::string& language) const {
    const std::string base = "/api/series/" + views::url_segment(s.id) + "/episodes/" + views::url_segment(episode);
    const auto version = [](const fs::path& p) -> std::optional<std::string> {
        std::error_code ec;
        const auto size = fs::file_size(p, ec);
        if (ec) return std::nullopt;
        const auto time = fs::last_write_time(p, ec).time_since_epoch().count();
        return std::to_string(size) + "-" + std::to_string(time);
    };
    const auto file = [&](const std::string& name) -> json {
        const auto v = version(s.out_dir / episode / name);
        return v ? json(base + "/files/" + views::url_segment(name) + "?v=" + *v) : json(nullptr);
    };
    json video = file(episode + ".localized.mp4");
    if (video.is_null())
        if (const auto v = version(find_episode(s, episode))) video = base + "/source?v=" + *v;
    return {{"video", video}, {"dub", file(episode + "." + language + ".dub.wav")}, {"subtitles", file(episode + "." + language + ".vtt")}};
}

json Station::change_line(std::size_t index, const std::string& episode, const std::string& language, const std::string& line_text,
                 const http::Request& req, const TokenInfo& token, Change change) {
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
    series::LineEditRequest request;
    request.episode = episode;
    request.language = language;
    request.line = line;
    request.gather_script_file_edits = false;  // `run` records those; the render may be writing them now
    request.redub = redub;
    if (change == Change::Speaker) {
        if (!body.contains("speaker") || !body["speaker"].is_string() || body["speaker"].get<std::string>().empty())
            throw Problem{400, "Bad request", "give the \"speaker\": a character's id (characters in GET …/lines)", {{"field", "speaker"}}};
        request.speaker = body["speaker"].get<std::string>();
        request.languages = s.project.options.languages.targets;
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
    const auto& scripts = *scripts_read;
    if (!scripts.count(language))
        throw Problem{409, "Not ready", episode + " has no " + language + " script yet: the series has not been run (dramaloc run)"};
    if (!pipeline::find_line(scripts.at(language), line))
        throw Problem{404, "No such line", episode + "'s " + language + " script has no line " + std::to_string(line)};
    if (change == Change::Speaker) {
        const json characters = characters_json(s, scripts);
        if (std::none_of(characters.begin(), characters.end(), [&](const json& c) { return c["id"] == request.speaker; }))
            throw Problem{400, "No such character", "the series has no character \"" + request.speaker + "\" (characters in GET …/lines)",
                      {{"field", "speaker"}}};
    }
    const auto result = series::record_line_edit(s.out_dir, request, nullptr);
    using Outcome = series::LineEditResult::Outcome;
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

void add_lines_routes(Station* self, std::vector<http::Route>& r) {
    using http::BodyKind;
    using http::Request;
    using http::Response;
    using Change = Station::Change;
    const std::string language = "/api/series/{series}/episodes/{episode}/languages/{language}";
    r.push_back({"GET", language + "/lines", BodyKind::None, [self](Request& req) { return self->lines_answer(req); }, {},
                 role_needed(Role::Viewer)});
    // A change of a line: its text (PUT), a new take of its dub (POST …/redub), its speaker.
    const auto change = [self](Change what, int status) {
        return [self, what, status](Request& req) {
            const std::size_t index = self->episode_language(req);
            return Response::json(self->change_line(index, req.params[1], req.params[2], req.params[3], req, caller(req), what), status);
        };
    };
    r.push_back({"PUT", language + "/lines/{line}", BodyKind::Json, change(Change::Text, 200), {}, role_needed(Role::Editor)});
    r.push_back({"POST", language + "/lines/{line}/redub", BodyKind::Json, change(Change::Redub, 202), {}, role_needed(Role::Editor)});
    r.push_back({"PUT", language + "/lines/{line}/speaker", BodyKind::Json, change(Change::Speaker, 200), {}, role_needed(Role::Editor)});
}

}  // namespace dramaloc::server
