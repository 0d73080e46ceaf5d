#pragma once
// People's edits as a run applies them (the edit log that records them: series/edit_log.hpp):
// per language, line id -> the edit in force, and each line's revision (its edits so far).
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace dramaloc::pipeline {

// What localize_language applies: line id -> the edit in force.
struct EditInForce {
    std::string text;
    std::string machine;
    int take = 0;            // re-dubs asked for: a take above 0 is part of the line's synthesis key
    bool sets_text = true;   // false: only re-dubbed or re-assigned, the translation's text stands
    std::string speaker;     // the character a person gave the line ("": the one heard)
    bool operator==(const EditInForce&) const = default;
};
using LanguageEdits = std::map<int, EditInForce>;
using EpisodeEdits = std::map<std::string, LanguageEdits>;  // language -> its edits

nlohmann::json to_json(const EpisodeEdits& edits);

// Language -> line id -> how many edits the line has had (0 for none): what a published line
// says it shows, so the review station can tell a line edited since as stale.
using LineRevisions = std::map<std::string, std::map<int, int>>;

}  // namespace dramaloc::pipeline
