#include "policy/content_review.hpp"

#include <cstdlib>
#include <mutex>
#include <fstream>
#include <set>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/time.hpp"
#include "engines/openai/chat.hpp"
#include "net/http_client.hpp"
#include "series/edit_log.hpp"
#include "search/library_lines.hpp"
#include "subtitles/format_util.hpp"

namespace dramaloc::policy {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path resolutions_file(const fs::path& out_dir) { return out_dir / "content-resolutions.json"; }

// Text for HTML: & < > " escaped (the subtitle writers' own escaping).
std::string escaped(std::string_view s) { return subtitles::detail::escape_markup(s, true); }

json to_json(const Resolution& r) {
    return {{"finding", r.finding}, {"episode", r.episode}, {"language", r.language}, {"line", r.line}, {"decision", r.decision},
            {"reason", r.reason},   {"who", r.who},         {"when", r.when},         {"pack", r.pack}, {"pack_version", r.pack_version},
            {"rule", r.rule}};
}

}  // namespace

std::vector<Resolution> read_resolutions(const fs::path& out_dir) {
    const fs::path file = resolutions_file(out_dir);
    if (!fs::exists(file)) return {};
    try {
        std::vector<Resolution> out;
        const json log = json::parse(read_text_file(file));
        for (const auto& j : log.at("resolutions")) {
            Resolution r;
            r.finding = j.at("finding").get<std::string>();
            r.episode = j.at("episode").get<std::string>();
            r.language = j.at("language").get<std::string>();
            r.line = j.at("line").get<int>();
            r.decision = j.at("decision").get<std::string>();
            r.reason = j.at("reason").get<std::string>();
            r.who = j.value("who", "");
            r.when = j.value("when", "");
            r.pack = j.value("pack", "");
            r.pack_version = j.value("pack_version", "");
            r.rule = j.value("rule", "");
            out.push_back(std::move(r));
        }
        return out;
    } catch (const std::exception& e) {
        throw InputError(file.string() + " is not a resolution log dramaloc wrote (" + e.what() + "); restore it from a backup");
    }
}

void record_resolution(const fs::path& out_dir, const Resolution& resolution) {
    if (resolution.decision != "accepted" && resolution.decision != "overridden")
        throw UsageError("a finding is \"accepted\" (the line may stand for this market) or \"overridden\" (the rule is wrong here)");
    if (resolution.reason.find_first_not_of(" \t\r\n") == std::string::npos) throw UsageError("a resolution needs a reason");
    series::EditLog(out_dir).locked([&](const std::vector<series::LineEdit>&) {
        json list = json::array();
        for (const auto& r : read_resolutions(out_dir)) list.push_back(to_json(r));
        list.push_back(to_json(resolution));
        write_file_atomically(resolutions_file(out_dir), json{{"resolutions", list}}.dump(1) + "\n");
    });
}

std::shared_ptr<const ContentReviewer> content_reviewer_of(const series::SeriesProject& project) {
    std::vector<Pack> packs;
    for (const auto& file : project.policy_packs) packs.push_back(load_pack(file));
    std::vector<Entry> glossary;
    if (project.options.languages.series)
        for (const auto& g : project.options.languages.series->glossary) {
            Entry e;
            e.kind = "glossary";
            e.text = g.source;
            e.renderings = g.rendering;
            e.category = "glossary";
            e.severity = Severity::Warn;
            glossary.push_back(std::move(e));
        }
    return std::make_shared<const ContentReviewer>(std::move(packs), std::move(glossary));
}

ModelAsker model_asker(const series::SeriesProject& project) {
    const auto& settings = project.options.engines.translate;
    if (settings.backend != "openai" || settings.url.empty()) return {};
    auto client = std::make_shared<net::HttpClient>(engines::endpoint_for(settings));
    const std::string model = settings.model, url = settings.url;
    return [client, model, url](const std::string& question, const std::string& language, const std::vector<std::pair<int, std::string>>& lines) {
        json items = json::array();
        for (const auto& [id, text] : lines) items.push_back({{"id", id}, {"text", text}});
        const std::string system =
            "You review the lines of a short drama's script for a market's content rules. Answer only JSON: "
            "{\"flags\": [{\"id\": line id, \"category\": a short category, \"reason\": one sentence}]} with the lines the question is true "
            "for, and {\"flags\": []} when there is none.";
        const json user = {{"question", question}, {"language", language}, {"lines", items}};
        const engines::ChatReply reply = engines::ask_chat(*client, model, system, user);
        if (!reply.ok())
            throw EngineError("the language model at " + url + "/chat/completions answered HTTP " + std::to_string(reply.status) +
                              " to a model rule; check [engines.translate]");
        if (!reply.content) throw EngineError("the language model at " + url + " gave no chat completion to a model rule");
        const std::string& content = *reply.content;
        const auto answer = engines::parse_model_json(content, [](const json& j) {
            return (j.is_object() && j.contains("flags") && j["flags"].is_array()) || j.is_array();
        });
        if (!answer) throw EngineError("the language model at " + url + " did not answer a model rule with {\"flags\": […]}");
        const json& flags = answer->is_array() ? *answer : (*answer)["flags"];
        std::vector<ModelFlag> out;
        std::set<int> seen;
        for (const auto& f : flags) {
            if (!f.is_object() || !f.contains("id")) continue;
            int id = 0;
            if (f["id"].is_number_integer()) id = f["id"].get<int>();
            else if (f["id"].is_string()) id = std::atoi(f["id"].get<std::string>().c_str());  // "12", as models sometimes write it
            if (id > 0 && seen.insert(id).second)
                out.push_back({id, f.value("category", ""), f.value("reason", "")});
        }
        return out;
    };
}

int EpisodeContentReview::unresolved_blocks(const std::string& language) const {
    int n = 0;
    for (const auto& f : findings)
        n += f.severity == Severity::Block && (language.empty() || f.language == language) && !resolutions.count(f.id);
    return n;
}

EpisodeContentReview review_content(const ContentReviewer& content_reviewer, const series::SeriesProject& project, const std::string& episode,
                             const std::vector<std::string>& languages, const ModelAsker& ask) {
    EpisodeContentReview out;
    out.series = search::library_series_id(project.file);
    out.episode = episode;
    std::vector<ContentLine> lines;
    for (const auto& l : search::episode_library_lines(project, episode, 0)) {
        out.published = true;
        if (!languages.empty() && std::find(languages.begin(), languages.end(), l.language) == languages.end()) continue;
        lines.push_back({l.episode, l.language, l.is_source, l.line, l.start_ms, l.end_ms, l.speaker, l.text, l.source});
    }
    out.findings = content_reviewer.review(lines, ask, &out.model_rules_skipped);
    for (auto& r : read_resolutions(project.options.run.out_dir))
        if (r.episode == episode) out.resolutions[r.finding] = std::move(r);
    return out;
}

std::map<std::string, int> report_unresolved_blocks(const fs::path& out_dir, const std::string& episode, const std::set<std::string>& resolved) {
    std::map<std::string, int> out;
    const fs::path file = out_dir / episode / (episode + ".content-review.json");
    std::ifstream in(file);
    if (!in) return out;  // no packs, or not reviewed yet
    try {
        const json report = json::parse(in);
        for (const auto& f : report.at("findings"))
            if (f.at("severity") == "block" && f.at("resolution").is_null() && !resolved.count(f.at("id").get<std::string>()))
                ++out[f.at("language").get<std::string>()];
    } catch (const json::exception& e) {
        throw InputError(file.string() + " is not a content review report dramaloc wrote (" + e.what() +
                         "); run dramaloc review SERIES to write it again");
    }
    return out;
}

json finding_json(const Finding& f, const Resolution* r) {
    json j = {{"id", f.id}, {"pack", f.pack}, {"pack_version", f.pack_version}, {"kind", f.kind}, {"category", f.category},
              {"severity", to_string(f.severity)}, {"episode", f.episode}, {"language", f.language}, {"line", f.line},
              {"start", static_cast<double>(f.start_ms) / 1000.0}, {"end", static_cast<double>(f.end_ms) / 1000.0},
              {"character", f.speaker}, {"text", f.text}, {"match", f.text.substr(f.match_start, f.match_end - f.match_start)},
              {"suggestion", f.suggestion}, {"reason", f.reason}, {"rule", f.rule}, {"resolution", nullptr}};
    if (r)
        j["resolution"] = {{"decision", r->decision}, {"reason", r->reason}, {"who", r->who}, {"when", r->when}, {"pack_version", r->pack_version}};
    return j;
}

json report_json(const EpisodeContentReview& review) {
    json findings = json::array();
    std::map<std::string, int> counts = {{"block", 0}, {"warn", 0}, {"note", 0}};
    for (const auto& f : review.findings) {
        const auto it = review.resolutions.find(f.id);
        findings.push_back(finding_json(f, it == review.resolutions.end() ? nullptr : &it->second));
        ++counts[to_string(f.severity)];
    }
    return {{"series", review.series}, {"episode", review.episode}, {"counts", counts}, {"unresolved_blocks", review.unresolved_blocks()},
            {"model_rules_skipped", review.model_rules_skipped}, {"findings", findings}};
}

std::string report_html(const EpisodeContentReview& review) {
    std::string rows;
    for (const auto& f : review.findings) {
        const auto it = review.resolutions.find(f.id);
        const Resolution* r = it == review.resolutions.end() ? nullptr : &it->second;
        const std::string before = f.text.substr(0, f.match_start), match = f.text.substr(f.match_start, f.match_end - f.match_start),
                          after = f.text.substr(f.match_end);
        rows += "<tr class=\"" + std::string(to_string(f.severity)) + (r ? " resolved" : "") + "\"><td>" + std::string(to_string(f.severity)) +
                "</td><td>" + escaped(f.language) + "</td><td>" + std::to_string(f.line) + "</td><td>" + format_clock(f.start_ms) +
                "</td><td>" + escaped(f.speaker) + "</td><td dir=\"auto\">" + escaped(before) + "<mark>" + escaped(match) +
                "</mark>" + escaped(after) + (f.suggestion.empty() ? "" : "<br><small>suggested: " + escaped(f.suggestion) + "</small>") +
                "</td><td>" + escaped(f.category) + "</td><td>" + escaped(f.reason) + "<br><small>" + escaped(f.pack) + " " +
                escaped(f.pack_version) + " · " + escaped(f.rule) + "</small></td><td>" +
                (r ? escaped(r->decision) + " by " + escaped(r->who) + " (" + escaped(r->when) + ", pack " +
                         escaped(r->pack_version) + "): " + escaped(r->reason)
                   : std::string(f.severity == Severity::Block ? "<strong>unresolved: blocks approval</strong>" : "open")) +
                "</td></tr>\n";
    }
    const std::string title = escaped(review.series + " " + review.episode) + ": content review";
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
           "</title>\n<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
           "td,th{border-bottom:1px solid #ddd;padding:.4em;text-align:left;vertical-align:top}tr.block td:first-child{color:#b00020;font-weight:bold}"
           "tr.resolved{opacity:.6}mark{background:#ffe08a}</style></head><body>\n<h1>" +
           title + "</h1>\n<p>" + std::to_string(review.findings.size()) + " finding(s); " + std::to_string(review.unresolved_blocks()) +
           " unresolved block(s)" + (review.model_rules_skipped ? "; " + std::to_string(review.model_rules_skipped) + " model rule run(s) skipped (no language model configured)" : "") +
           ".</p>\n<table><thead><tr><th>severity</th><th>language</th><th>line</th><th>time</th><th>character</th><th>text</th><th>category</th>"
           "<th>why</th><th>resolution</th></tr></thead><tbody>\n" +
           rows + "</tbody></table></body></html>\n";
}

fs::path write_reports(const series::SeriesProject& project, const EpisodeContentReview& review) {
    const fs::path folder = project.options.run.out_dir / review.episode;
    const fs::path json_file = folder / (review.episode + ".content-review.json");
    write_file_atomically(json_file, report_json(review).dump(1) + "\n");
    write_file_atomically(folder / (review.episode + ".content-review.html"), report_html(review));
    return json_file;
}

std::function<void(const series::SeriesProject&, const std::string&)> after_publish(
    std::function<search::LibraryIndex&(const series::SeriesProject&)> index_of, std::function<void(const std::string&)> warn) {
    struct Shared {
        std::mutex mutex;
        std::map<std::string, std::shared_ptr<const ContentReviewer>> reviewers;  // by series file and its packs' times
    };
    auto shared = std::make_shared<Shared>();
    return [shared, index_of = std::move(index_of), warn = std::move(warn)](const series::SeriesProject& project, const std::string& episode) {
        search::index_episode(index_of(project), project, episode);
        try {
            std::string key = project.file.string();
            for (const auto& pack : project.policy_packs) {
                std::error_code ec;
                key += "\n" + pack.string() + "@" + std::to_string(fs::last_write_time(pack, ec).time_since_epoch().count());
            }
            std::shared_ptr<const ContentReviewer> content_reviewer;
            {
                std::lock_guard lock(shared->mutex);
                auto& r = shared->reviewers[key];
                if (!r) r = content_reviewer_of(project);
                content_reviewer = r;
            }
            if (content_reviewer->entries() == 0) return;
            write_reports(project, review_content(*content_reviewer, project, episode, {}, model_asker(project)));
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            if (warn) warn("the content review report of " + episode + " was not written: " + e.what() + "; run dramaloc review " + project.file.string());
        }
    };
}

}  // namespace dramaloc::policy
