#pragma once
// JSON files inside artifacts: regions, words, characters, fit results.
#include <filesystem>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/script.hpp"
#include "engines/vad.hpp"

namespace dramaloc::pipeline {

void write_json(const std::filesystem::path& path, const nlohmann::json& value);
nlohmann::json read_json(const std::filesystem::path& path);

// A measured figure, or null when there is none (silence has no loudness).
inline nlohmann::json or_null(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json regions_to_json(const std::vector<engines::SpeechRegion>& regions);
std::vector<engines::SpeechRegion> regions_from_json(const nlohmann::json& j);

nlohmann::json character_to_json(const Character& character);
Character character_from_json(const nlohmann::json& j);
nlohmann::json characters_to_json(const std::vector<Character>& characters);
std::vector<Character> characters_from_json(const nlohmann::json& j);

}  // namespace dramaloc::pipeline
