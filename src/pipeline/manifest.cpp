#include "pipeline/manifest.hpp"

#include "core/error.hpp"
#include "core/fs.hpp"
#include "pipeline/artifact_json.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json script_to_json(const PublishedScript& s) {
    json lines = json::array();
    for (const auto& l : s.lines)
        lines.push_back({{"id", l.id}, {"start", l.start}, {"end", l.end}, {"speaker", l.speaker}, {"text", l.text},
                         {"machine", l.machine}, {"source", l.source}, {"revision", l.revision}});
    return {{"file", s.file}, {"hash", s.hash}, {"lines", lines}};
}

// A field of the type it should have, else its default: manifests written by earlier
// versions lack what came later (a line's revision, its source text), and one damaged field
// loses that field, not the manifest.
std::string text_at(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

template <typename T>
T number_at(const json& j, const char* key, T fallback = 0) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<T>() : fallback;
}

PublishedScript script_from_json(const json& j) {
    PublishedScript s{text_at(j, "file"), text_at(j, "hash"), {}};
    const auto lines = j.find("lines");
    if (lines == j.end() || !lines->is_array()) return s;
    for (const auto& l : *lines)
        if (l.is_object() && l.contains("id") && l.at("id").is_number_integer())
            s.lines.push_back({l.at("id").get<int>(), number_at<TimeMs>(l, "start"), number_at<TimeMs>(l, "end"), text_at(l, "speaker"),
                               text_at(l, "text"), text_at(l, "machine"), text_at(l, "source"), number_at<int>(l, "revision")});
    return s;
}

std::vector<std::string> texts_at(const json& j, const char* key) {
    std::vector<std::string> out;
    const auto it = j.find(key);
    if (it != j.end() && it->is_array())
        for (const auto& v : *it)
            if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

json object_or_empty(const json& j, const char* key) {
    return j.contains(key) && j.at(key).is_object() ? j.at(key) : json::object();
}

}  // namespace

json Manifest::to_json() const {
    json engines_json = json::object();
    for (const auto& [stage, e] : engines) {
        json& out = engines_json[stage] = {{"backend", e.backend}, {"identity", e.identity}};
        if (e.backend == "openai") out["url"] = e.url, out["model"] = e.model;
    }
    json scripts_json = json::object();
    for (const auto& [language, s] : scripts) scripts_json[language] = script_to_json(s);
    return {{"dramaloc_version", dramaloc_version},
            {"episode", episode},
            {"input_key", input_key},
            {"source_language", source_language},
            {"target_languages", target_languages},
            {"engines", engines_json},
            {"source", source},
            {"characters", characters_to_json(characters)},
            {"voice_references", voice_references},
            {"failed_languages", failed_languages},
            {"scripts", scripts_json},
            {"outputs", outputs},
            {"published", published},
            {"run", run},
            {"wall_seconds", wall_seconds}};
}

Manifest Manifest::from_json(const json& j) {
    if (!j.is_object()) throw InputError("not a dramaloc manifest (a JSON object)");
    Manifest m;
    m.dramaloc_version = text_at(j, "dramaloc_version");
    m.episode = text_at(j, "episode");
    m.input_key = text_at(j, "input_key");
    m.source_language = text_at(j, "source_language");
    m.target_languages = texts_at(j, "target_languages");
    const json engines = object_or_empty(j, "engines"), scripts = object_or_empty(j, "scripts"), failed = object_or_empty(j, "failed_languages");
    for (const auto& [stage, e] : engines.items()) {
        // Early manifests recorded each engine as its identity alone.
        if (e.is_string()) m.engines[stage] = {"", e.get<std::string>(), "", ""};
        else if (e.is_object()) m.engines[stage] = {text_at(e, "backend"), text_at(e, "identity"), text_at(e, "url"), text_at(e, "model")};
    }
    m.source = object_or_empty(j, "source");
    try {
        if (j.contains("characters")) m.characters = characters_from_json(j.at("characters"));
    } catch (const json::exception&) {
        m.characters.clear();  // shown, not relied on: the series' registry holds them too
    }
    m.voice_references = object_or_empty(j, "voice_references");
    for (const auto& [language, why] : failed.items())
        if (why.is_string()) m.failed_languages[language] = why.get<std::string>();
    for (const auto& [language, s] : scripts.items())
        if (s.is_object()) m.scripts[language] = script_from_json(s);
    m.outputs = texts_at(j, "outputs");
    m.published = object_or_empty(j, "published");
    m.run = object_or_empty(j, "run");
    m.wall_seconds = number_at<double>(j, "wall_seconds");
    return m;
}

fs::path manifest_file(const fs::path& episode_folder) { return episode_folder / "manifest.json"; }

std::optional<Manifest> read_manifest(const fs::path& episode_folder) {
    const fs::path file = manifest_file(episode_folder);
    if (!fs::exists(file)) return std::nullopt;
    try {
        return Manifest::from_json(json::parse(read_text_file(file)));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void write_manifest(const fs::path& episode_folder, const Manifest& manifest) {
    write_json(manifest_file(episode_folder), manifest.to_json());
}

PublishedScripts published_scripts(const fs::path& episode_folder) {
    auto manifest = read_manifest(episode_folder);
    return manifest ? std::move(manifest->scripts) : PublishedScripts{};
}

const PublishedLine* find_line(const PublishedScript& script, int id) {
    for (const auto& l : script.lines)
        if (l.id == id) return &l;
    return nullptr;
}

}  // namespace dramaloc::pipeline
