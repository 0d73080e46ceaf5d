#include "server/views.hpp"

#include <cctype>
#include <set>

#include "core/language.hpp"
#include "pipeline/localize.hpp"
#include "server/auth.hpp"

namespace dramaloc::server::views {

std::string url_segment(const std::string& name) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : name) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out.push_back(static_cast<char>(c));
        else out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
    return out;
}

std::map<int, json> qc_flags(const json& qc, const std::string& language) {
    std::map<int, json> flags;
    if (!qc.is_object() || !qc.contains("languages") || !qc["languages"].is_object() || !qc["languages"].contains(language)) return flags;
    for (const auto& f : qc["languages"][language].value("findings", json::array()))
        if (f.is_object() && f.contains("line_id") && f["line_id"].is_number_integer() && f["line_id"].get<int>() > 0)
            flags[f["line_id"].get<int>()].push_back({{"rule", f.value("rule", "")}, {"severity", f.value("severity", "")},
                                                       {"message", f.value("message", "")}});
    return flags;
}

json line_view(const json& line, const std::vector<pipeline::LineEdit>& history, const std::string& episode, const std::string& language,
               json qc, json findings) {
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
    const int revision = static_cast<int>(edits.size());
    return {{"id", id},
            {"start_ms", line.at("start")},
            {"end_ms", line.at("end")},
            {"speaker", speaker},
            {"source", line.value("source", "")},
            {"text", in_force.value_or(line.at("text").get<std::string>())},
            {"machine", line.value("machine", "")},
            {"revision", revision},
            {"stale", revision != line.value("revision", 0)},
            {"qc", qc.is_array() ? std::move(qc) : json::array()},
            {"findings", findings.is_array() ? std::move(findings) : json::array()},
            {"history", edits}};
}

int stale_lines(const std::string& episode, const std::string& language, const json& script, const std::vector<pipeline::LineEdit>& history) {
    int stale = 0;
    for (const auto& line : script.at("lines"))
        stale += pipeline::line_revision(history, episode, language, line.at("id").get<int>()) != line.value("revision", 0);
    return stale;
}

json engines_view(const json& manifest) {
    json out = json::array();
    if (!manifest.is_object() || !manifest.contains("engines") || !manifest["engines"].is_object()) return out;
    const json& engines = manifest["engines"];
    for (const auto& [stage, settings] : pipeline::run_engines({})) {
        if (!engines.contains(stage)) continue;
        const json& e = engines[stage];
        const json identity = e.is_object() ? e.value("identity", json(nullptr)) : e;
        if (identity.is_string()) out.push_back({{"stage", stage}, {"identity", identity}});
    }
    return out;
}

json characters_view(const std::vector<Character>& cast, const json& registry, const json& scripts) {
    json out = json::array();
    std::set<std::string> ids;
    for (const auto& c : cast)
        if (ids.insert(c.id).second) out.push_back({{"id", c.id}, {"name", c.name}});
    if (registry.is_object() && registry.contains("characters") && registry["characters"].is_array())
        for (const auto& c : registry["characters"])
            if (c.is_object() && c.contains("id") && c["id"].is_string() && ids.insert(c["id"].get<std::string>()).second)
                out.push_back({{"id", c["id"]}, {"name", c.value("name", "")}});
    if (scripts.is_object())
        for (const auto& [language, script] : scripts.items())
            for (const auto& line : script.value("lines", json::array()))
                if (const std::string id = line.value("speaker", ""); !id.empty() && ids.insert(id).second) out.push_back({{"id", id}, {"name", ""}});
    return out;
}

json rules_view(const subtitles::SubtitleRules& rules) {
    return {{"max_lines", rules.max_lines}, {"max_chars_per_line", rules.max_chars_per_line},
            {"max_chars_per_second", rules.max_chars_per_second}, {"min_duration_ms", rules.min_duration},
            {"max_duration_ms", rules.max_duration}};
}

json language_names(const std::vector<std::string>& tags) {
    json names = json::object();
    for (const auto& tag : tags) {
        const auto info = find_language(tag);
        std::string name = info ? info->english_name : tag;
        if (info && tag.size() > info->bcp47.size() + 1) name += " (" + tag.substr(info->bcp47.size() + 1) + ")";
        names[tag] = name;
    }
    return names;
}

json review_view(const std::optional<pipeline::Review>& review, bool stands) {
    if (!review) return nullptr;
    return {{"decision", review->decision}, {"comment", review->comment}, {"who", review->who}, {"when", review->when}, {"stands", stands}};
}

json session_view(const jobs::TokenInfo& t) {
    return {{"name", t.label}, {"role", t.role}, {"expires", t.expires_ms ? json(utc_time(t.expires_ms)) : json(nullptr)}};
}

}  // namespace dramaloc::server::views
