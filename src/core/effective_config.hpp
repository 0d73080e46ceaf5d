#pragma once
// The configuration in effect: every setting a schema declares, with its value and where it
// came from (a default, or the file and line that set it), for `dramaloc config check`.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dramaloc {

class Config;
class ConfigSchema;

struct Setting {
    std::string key{};       // dotted, as TOML writes it: "engines.translate.backend", "glossary.\"林小姐\".en"
    nlohmann::json value{};  // null: not set
    std::string origin{};    // "default", "series.toml:14"; readers of the environment and the command line add theirs
    std::string note{};      // when not set: what holds instead ("the language's built-in rule")
    bool secret = false;   // its value is never printed
};

// Every setting `schema` declares — each key of each table, and of a family of tables
// ([cast.NAME]) each member some layer has — from `layers`, lowest first: a key set in a
// later layer wins. In the schema's order.
std::vector<Setting> effective_settings(const ConfigSchema& schema, const std::vector<const Config*>& layers);

}  // namespace dramaloc
