#pragma once
// manifest.json: what one publish of an episode wrote under OUT/NAME/, and from what. One
// reader and one writer; edits, the library, the review station and delivery read it through
// them, never by key name.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/script.hpp"
#include "core/time.hpp"

namespace dramaloc::pipeline {

// One line of a language's script as published: what people read and edit.
struct PublishedLine {
    int id = 0;
    TimeMs start = 0, end = 0;
    std::string speaker;
    std::string text;     // as spoken: translated, edited, shortened
    std::string machine;  // the machine translation
    std::string source;   // the source line's text
    int revision = 0;     // the line's edits so far when it was rendered
};

struct PublishedScript {
    std::string file;  // NAME.LANG.script.json, in the episode's folder
    std::string hash;  // of that file as written: a different one was edited since
    std::vector<PublishedLine> lines;
};

// Which engine made a stage's work, as the run said it (never a key).
struct EngineRecord {
    std::string backend;
    std::string identity;
    std::string url, model;  // a model server's, masked; empty for embedded engines
};

struct Manifest {
    std::string dramaloc_version;
    std::string episode;   // the input file
    std::string input_key;
    std::string source_language;
    std::vector<std::string> target_languages;
    std::map<std::string, EngineRecord> engines;  // by stage: vad, asr, ocr, speakers, translate, tts
    nlohmann::json source = nlohmann::json::object();  // how the source script was made (also qc.json "source")
    std::vector<Character> characters;
    nlohmann::json voice_references = nlohmann::json::object();
    std::map<std::string, std::string> failed_languages;  // language -> why
    std::map<std::string, PublishedScript> scripts;       // by language
    std::vector<std::string> outputs;                     // relative to the folder, manifest.json last
    // Copies of artifacts, by output name: {from, size, mtime_ns} of the file once written.
    nlohmann::json published = nlohmann::json::object();
    nlohmann::json run = nlohmann::json::object();  // the stages of the run (RunLog)
    double wall_seconds = 0;

    nlohmann::json to_json() const;
    static Manifest from_json(const nlohmann::json& j);  // InputError for a manifest that is not one
};

std::filesystem::path manifest_file(const std::filesystem::path& episode_folder);
// nullopt when the folder has none, or one that cannot be read (the next publish rewrites it).
std::optional<Manifest> read_manifest(const std::filesystem::path& episode_folder);
void write_manifest(const std::filesystem::path& episode_folder, const Manifest& manifest);

// Each language's script as the episode's last publish recorded it (the manifest's
// "scripts"), by language; empty when it was never published or its manifest cannot be read.
using PublishedScripts = std::map<std::string, PublishedScript>;
PublishedScripts published_scripts(const std::filesystem::path& episode_folder);
// The line of that id, or null.
const PublishedLine* find_line(const PublishedScript& script, int id);

}  // namespace dramaloc::pipeline
