#pragma once
// TOML configuration (toml++). A Config is a parsed document, checked whole against the
// schema of its kind of file when it is read (core/config_schema.hpp: an unknown table or
// key, a wrong type, a value out of range is refused with the file and the line), plus typed
// look-ups by dotted path ("subtitles.rules.en.max_chars_per_line").
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace toml { inline namespace v3 { class table; } }

namespace dramaloc {

class ConfigSchema;

class Config {
public:
    Config();  // empty: every look-up returns its default
    ~Config();
    Config(Config&&) noexcept;
    Config& operator=(Config&&) noexcept;

    // Throws InvalidConfig (a ConfigError) for what `schema` does not allow, ConfigError for
    // what is not TOML, InputError when the file cannot be read.
    static Config load(const std::filesystem::path& path, const ConfigSchema& schema);
    static Config parse(std::string_view text, std::string source_name, const ConfigSchema& schema);

    bool has(std::string_view dotted_key) const;
    std::optional<std::string> get_string(std::string_view dotted_key) const;
    std::optional<std::int64_t> get_int(std::string_view dotted_key) const;
    std::optional<double> get_double(std::string_view dotted_key) const;  // accepts integers too
    std::optional<bool> get_bool(std::string_view dotted_key) const;
    std::optional<std::vector<std::string>> get_strings(std::string_view dotted_key) const;
    std::vector<std::string> keys(std::string_view dotted_table) const;  // child keys of a table

    std::string get_string_or(std::string_view key, std::string fallback) const {
        return get_string(key).value_or(std::move(fallback));
    }
    std::int64_t get_int_or(std::string_view key, std::int64_t fallback) const {
        return get_int(key).value_or(fallback);
    }
    double get_double_or(std::string_view key, double fallback) const { return get_double(key).value_or(fallback); }
    bool get_bool_or(std::string_view key, bool fallback) const { return get_bool(key).value_or(fallback); }

    const std::string& source_name() const { return source_; }
    // The line that sets `dotted_key` (0 when nothing does), and "FILE:LINE" for messages
    // about it (the file's name alone when nothing sets it).
    int line_of(std::string_view dotted_key) const;
    std::string where(std::string_view dotted_key) const;
    const toml::table& document() const { return *table_; }

private:
    std::unique_ptr<toml::table> table_;
    std::string source_;
};

}  // namespace dramaloc
