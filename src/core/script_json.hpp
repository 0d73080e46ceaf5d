#pragma once
// JSON form of the data model: used for reference scripts, manifests and the HTTP API.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/script.hpp"

namespace dramaloc {

void to_json(nlohmann::json& j, const Word& w);
void from_json(const nlohmann::json& j, Word& w);
void to_json(nlohmann::json& j, const Line& l);
void from_json(const nlohmann::json& j, Line& l);
void to_json(nlohmann::json& j, const Script& s);
void from_json(const nlohmann::json& j, Script& s);
void to_json(nlohmann::json& j, const SubtitleEvent& e);
void from_json(const nlohmann::json& j, SubtitleEvent& e);

// Reads a script JSON file; throws InputError naming the file and the problem.
Script read_script_json(const std::filesystem::path& path);
// Writes atomically (temporary name, then rename).
void write_script_json(const std::filesystem::path& path, const Script& script);

}  // namespace dramaloc
