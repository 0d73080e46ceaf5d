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

std::map<int, json> qc_flags(const std::map<std::string, std::vector<pipeline::QcFinding>>& qc, const std::string& language) {
    std::map<int, json> flags;
    const auto own = qc.find(language);
    if (own == qc.end()) return flags;
    for (const auto& f : own->second)
        if (!f.event_id && f.line_id > 0) flags[f.line_id].push_back({{"rule", f.rule}, {"severity", f.severity}, {"message", f.message}});
    return flags;
}

json line_view(const pipeline::PublishedLine& line, const std::vector<series::LineEdit>& history, const std::string& episode,
               const std::string& language, json qc, json findings) {
    const int id = line.id;
    json edits = json::array();
    std::optional<std::string> in_force;  // the text a person set, or (after a revert) the machine's
    std::string speaker = line.speaker;
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
            {"start_ms", line.start},
            {"end_ms", line.end},
            {"speaker", speaker},
            {"source", line.source},
            {"text", in_force.value_or(line.text)},
            {"machine", line.machine},
            {"revision", revision},
            {"stale", revision != line.revision},
            {"qc", qc.is_array() ? std::move(qc) : json::array()},
            {"findings", findings.is_array() ? std::move(findings) : json::array()},
            {"history", edits}};
}

json engines_view(const pipeline::Manifest& manifest) {
    json out = json::array();
    for (const auto& [stage, settings] : pipeline::run_engines({}))
        if (const auto e = manifest.engines.find(stage); e != manifest.engines.end() && !e->second.identity.empty())
            out.push_back({{"stage", stage}, {"identity", e->second.identity}});
    return out;
}

json characters_view(const std::vector<Character>& cast, const json& registry, const pipeline::PublishedScripts& scripts) {
    json out = json::array();
    std::set<std::string> ids;
    for (const auto& c : cast)
        if (ids.insert(c.id).second) out.push_back({{"id", c.id}, {"name", c.name}});
    if (registry.is_object() && registry.contains("characters") && registry["characters"].is_array())
        for (const auto& c : registry["characters"])
            if (c.is_object() && c.contains("id") && c["id"].is_string() && ids.insert(c["id"].get<std::string>()).second)
                out.push_back({{"id", c["id"]}, {"name", c.value("name", "")}});
    for (const auto& [language, script] : scripts)
        for (const auto& line : script.lines)
            if (!line.speaker.empty() && ids.insert(line.speaker).second) out.push_back({{"id", line.speaker}, {"name", ""}});
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

json review_view(const std::optional<series::Review>& review, bool stands) {
    if (!review) return nullptr;
    return {{"decision", review->decision}, {"comment", review->comment}, {"who", review->who}, {"when", review->when}, {"stands", stands}};
}

json session_view(const TokenInfo& t) {
    return {{"name", t.label}, {"role", t.role}, {"expires", t.expires_ms ? json(time_or_never(t.expires_ms)) : json(nullptr)}};
}

}  // namespace dramaloc::server::views
