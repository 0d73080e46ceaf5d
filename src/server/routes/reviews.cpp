// Approvals and content review findings: their routes and what the station does for them.
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


// The latest decision on the episode × language, and whether it stands (no edit since).
json Station::review_json(const Series& s, const std::string& episode, const std::string& language, const std::vector<series::LineEdit>& history) {
    const auto reviews = review_logs.get(s.out_dir / "reviews.json", [&] { return series::read_reviews(s.out_dir); });
    const auto review = series::latest_review(*reviews, episode, language);
    return views::review_view(review, review && series::review_stands(*review, history));
}

// Approve or reject an episode × language, naming the revision of every line looked at.
json Station::post_review(std::size_t index, const std::string& episode, const std::string& language, const http::Request& req,
                 const TokenInfo& token) {
    const Series& s = series[index];
    const json body = request_object(req);
    series::Review review;
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
    const auto& scripts = *scripts_read;
    if (!scripts.count(language))
        throw Problem{409, "Not ready", episode + " has no " + language + " script yet: the series has not been run (dramaloc run)"};
    // An approval is of what will ship: not while the outputs still lack an edit.
    if (const int stale = review.decision == "approved" ? series::stale_lines(episode, language, scripts.at(language), *history_of(s)) : 0;
        stale > 0)
        throw Problem{409, "Not rendered yet",
                      std::to_string(stale) + " edited line(s) are not in the outputs yet; review again once the episode is rendered",
                      {{"stale_lines", stale}}};
    // Nor while a block-severity finding of the market's packs is unresolved.
    if (review.decision == "approved")
        if (const int blocks = policy::review_content(*s.content_reviewer, s.project, episode, {language}).unresolved_blocks(language); blocks > 0)
            throw Problem{409, "Blocked by content review",
                          std::to_string(blocks) + " block finding(s) of the content review are unresolved: accept or override each with a "
                          "reason, or edit the line (findings in GET …/lines)",
                          {{"blocking_findings", blocks}}};
    if (!body.contains("revisions") || !body["revisions"].is_object())
        throw Problem{400, "Bad request", "give \"revisions\": the revision of every line you reviewed (line id -> revision, from GET …/lines)", {{"field", "revisions"}}};
    for (const auto& line : scripts.at(language).lines) {
        const std::string id = std::to_string(line.id);
        if (!body["revisions"].contains(id) || !body["revisions"][id].is_number_integer())
            throw Problem{400, "Bad request", "\"revisions\" has no revision for line " + id + ": a review covers every line", {{"field", "revisions"}}};
        review.revisions[line.id] = static_cast<int>(body["revisions"][id].get<long long>());
    }
    review.who = token.label.empty() ? std::string("api") : token.label;
    review.when = utc_now();
    const auto outcome = series::record_review(s.out_dir, review);
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
json Station::resolve_finding(std::size_t index, const std::string& episode, const std::string& language, const std::string& id,
                     const http::Request& req, const TokenInfo& token) {
    const Series& s = series[index];
    const json body = request_object(req);
    const std::string decision = body.value("decision", json()).is_string() ? body["decision"].get<std::string>() : "";
    const std::string reason = body.value("reason", json()).is_string() ? body["reason"].get<std::string>() : "";
    if (decision != "accepted" && decision != "overridden")
        throw Problem{400, "Bad request", "\"decision\" is \"accepted\" (the line may stand for this market) or \"overridden\" (a false hit)", {{"field", "decision"}}};
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos) throw Problem{400, "Bad request", "give the \"reason\" for the decision", {{"field", "reason"}}};
    const auto review = policy::review_content(*s.content_reviewer, s.project, episode, {language});
    const auto f = std::find_if(review.findings.begin(), review.findings.end(), [&](const policy::Finding& x) { return x.id == id; });
    if (f == review.findings.end())
        throw Problem{404, "No such finding", "the content review of " + episode + " in " + language + " has no finding " + id +
                                                  " now (its line may have changed; see GET …/lines)"};
    policy::Resolution r{f->id, episode, language, f->line, decision, reason, token.label.empty() ? std::string("api") : token.label,
                         utc_now(), f->pack, f->pack_version, f->rule};
    policy::record_resolution(s.out_dir, r);
    publish(index, "finding", {{"episode", episode}, {"language", language}, {"line", f->line}, {"finding", id}, {"decision", decision}, {"who", r.who}});
    return {{"finding", policy::finding_json(*f, &r)}};
}

void add_reviews_routes(Station* self, std::vector<http::Route>& r) {
    using http::BodyKind;
    using http::Request;
    using http::Response;
    const std::string language = "/api/series/{series}/episodes/{episode}/languages/{language}";
    r.push_back({"POST", language + "/review", BodyKind::Json,
                 [self](Request& req) {
                     const std::size_t index = self->episode_language(req);
                     return Response::json(self->post_review(index, req.params[1], req.params[2], req, caller(req)), 201);
                 },
                 {}, role_needed(Role::Editor)});
    r.push_back({"POST", language + "/findings/{finding}", BodyKind::Json,
                 [self](Request& req) {
                     const std::size_t index = self->episode_language(req);
                     return Response::json(self->resolve_finding(index, req.params[1], req.params[2], req.params[3], req, caller(req)), 201);
                 },
                 {}, role_needed(Role::Editor)});
}

}  // namespace dramaloc::server
