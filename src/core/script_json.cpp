#include "core/script_json.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"

namespace dramaloc {

using nlohmann::json;

void to_json(json& j, const Word& w) {
    j = json{{"text", w.text}, {"start_ms", w.start}, {"end_ms", w.end}, {"confidence", w.confidence}};
}
void from_json(const json& j, Word& w) {
    j.at("text").get_to(w.text);
    j.at("start_ms").get_to(w.start);
    j.at("end_ms").get_to(w.end);
    w.confidence = j.value("confidence", 1.0f);
}

void to_json(json& j, const Line& l) {
    j = json{{"id", l.id},           {"start_ms", l.start}, {"end_ms", l.end},
             {"speaker", l.speaker}, {"text", l.text},      {"origin", to_string(l.origin)}};
    if (!l.words.empty()) j["words"] = l.words;
}
void from_json(const json& j, Line& l) {
    j.at("id").get_to(l.id);
    j.at("start_ms").get_to(l.start);
    j.at("end_ms").get_to(l.end);
    l.speaker = j.value("speaker", std::string{});
    j.at("text").get_to(l.text);
    l.words = j.value("words", std::vector<Word>{});
    const auto origin = line_origin_from_string(j.value("origin", std::string{"import"}));
    if (!origin) throw InputError("unknown line origin \"" + j.value("origin", std::string{}) + "\"");
    l.origin = *origin;
}

void to_json(json& j, const Script& s) { j = json{{"language", s.language}, {"lines", s.lines}}; }
void from_json(const json& j, Script& s) {
    j.at("language").get_to(s.language);
    j.at("lines").get_to(s.lines);
}

void to_json(json& j, const SubtitleEvent& e) {
    j = json{{"id", e.id}, {"start_ms", e.start}, {"end_ms", e.end}, {"lines", e.lines}};
    if (!e.style.empty()) j["style"] = e.style;
    if (!e.speaker.empty()) j["speaker"] = e.speaker;
}
void from_json(const json& j, SubtitleEvent& e) {
    e.id = j.value("id", 0);
    j.at("start_ms").get_to(e.start);
    j.at("end_ms").get_to(e.end);
    j.at("lines").get_to(e.lines);
    e.style = j.value("style", std::string{});
    e.speaker = j.value("speaker", std::string{});
}

Script read_script_json(const std::filesystem::path& path) {
    const std::string text = read_text_file(path);
    try {
        return json::parse(text).get<Script>();
    } catch (const json::exception& e) {
        throw InputError(path.string() + ": not a dramaloc script JSON file (" + e.what() + ")");
    }
}

void write_script_json(const std::filesystem::path& path, const Script& script) {
    write_file_atomically(path, json(script).dump(2) + "\n");
}

}  // namespace dramaloc
