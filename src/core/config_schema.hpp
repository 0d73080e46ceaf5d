#pragma once
// What a configuration file may hold, declared once per kind of file: its tables, their keys,
// each key's type, its range or choices, and its default. A file is checked whole against its
// schema when it is read, before any value is used, so a misspelt key, a table nobody reads, a
// value of the wrong type or out of range stops the command with the file, the line and the
// key, and the nearest known name:
//
//   series.toml:9: unknown key "backnd" in [engines.translate]; did you mean "backend"?
//
// instead of being ignored (a studio that believes it runs its model server must not publish
// the embedded translator's output). A key that a newer dramaloc knows is refused by an older
// one the same way. Each kind of file declares its schema in one place
// (pipeline/settings_schema.cpp for series and --config files, policy/policy.cpp for content
// review packs); a file read later declares its own and gets the same strictness.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace dramaloc {

enum class ConfigType { String, Integer, Number, Boolean, StringList };

// One key of a table. Declared with the builders, one line each:
//   ConfigKey::integer("max_retries", 4, 0, 20)
struct ConfigKey {
    std::string name{};
    ConfigType type = ConfigType::String;
    nlohmann::json fallback{};  // the value when the file does not set it; null: none
    std::string unset{};        // what holds when nothing sets it and there is no fallback
    std::optional<double> min{}, max{};
    bool above_min = false;               // min itself is refused: (min, max]
    std::vector<std::string> choices{};   // a String that must be one of these

    static ConfigKey text(std::string name, std::string fallback = {});
    static ConfigKey choice(std::string name, std::string fallback, std::vector<std::string> choices);
    static ConfigKey integer(std::string name, std::int64_t fallback, std::int64_t min, std::int64_t max);
    static ConfigKey number(std::string name, double fallback, double min, double max);
    static ConfigKey boolean(std::string name, bool fallback);
    static ConfigKey strings(std::string name, std::vector<std::string> fallback = {});

    ConfigKey& above_minimum() { return above_min = true, *this; }
    ConfigKey& when_unset(std::string what) { return unset = std::move(what), *this; }
    ConfigKey& without_default() { return fallback = nullptr, *this; }
};

// The names a table takes where the file chooses them: language tags for a glossary term's
// renderings, or for the members of [subtitles.rules.NAME].
struct ConfigNames {
    std::string what{};  // "language"
    std::function<bool(const std::string&)> accepts{};
    std::vector<std::string> known{};  // the nearest is suggested for a name refused
};
// The languages dramaloc knows (core/language.hpp: "en", "pt-BR", "zho"), and `also`.
ConfigNames language_names(std::vector<std::string> also = {});

// A table of a file: [engines.translate], or every table of a family when a part of the path
// is "*" ([cast.lin], [cast.chen]: "cast.*").
struct ConfigTable {
    std::string path{};
    std::vector<ConfigKey> keys{};
    // Keys of any name besides the declared ones, of this type (the languages of a glossary
    // term: [glossary."林小姐"] en = "Miss Lin"), and the names they may have.
    std::optional<ConfigType> other_keys{};
    bool array = false;  // written [[path]]: a list of tables, each with these keys
    std::string hint{};  // said of an unknown key of this table when no known name is near it
    std::optional<ConfigNames> other_key_names{};
    std::optional<ConfigNames> member_names{};  // of a family ("*" last): the names its members may have
};

class ConfigSchema {
public:
    // `kind` names the file in messages that need it ("series file"); `docs` (may be empty) is
    // the page that describes it, added to each problem.
    ConfigSchema(std::string kind, std::vector<ConfigTable> tables, std::string docs = {});

    const std::string& kind() const { return kind_; }
    const std::vector<ConfigTable>& tables() const { return tables_; }

    // Every problem of `document` (read from `source`), one line each ("FILE:LINE: …"), in the
    // order of the file.
    std::vector<std::string> problems(const toml::table& document, const std::string& source) const;
    // Throws InvalidConfig when there is any problem.
    void check(const toml::table& document, const std::string& source) const;

private:
    std::string kind_;
    std::vector<ConfigTable> tables_;
    std::string docs_;
};

// A configuration file that its schema refuses: what() is the first problem (and how many
// more there are); problems() lists them all for `dramaloc config check`.
class InvalidConfig : public ConfigError {
public:
    explicit InvalidConfig(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const { return problems_; }

private:
    std::vector<std::string> problems_;
};

// A name as TOML writes it in a dotted key or a table header: bare when it can be
// (engines, max_lines), else quoted ("林小姐").
std::string toml_key(const std::string& name);

// `text` with the password of any URL in it masked ("postgresql://ana:********@db/jobs", also
// "password=…" parameters): what may be printed of a database URL or an endpoint.
std::string mask_url_credentials(const std::string& text);
inline constexpr const char* kMaskedSecret = "********";

}  // namespace dramaloc
