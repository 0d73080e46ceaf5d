#pragma once
// TOML configuration (toml++). A Config is a parsed document plus typed look-ups by
// dotted path ("subtitles.en.max_chars_per_line") that fail with the file, the key
// and what was expected, so a user can fix the file from the message alone.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace toml { inline namespace v3 { class table; } }

namespace dramaloc {

class Config {
public:
    Config();  // empty: every look-up returns its default
    ~Config();
    Config(Config&&) noexcept;
    Config& operator=(Config&&) noexcept;

    static Config load(const std::filesystem::path& path);  // throws ConfigError / InputError
    static Config parse(std::string_view text, std::string source_name = "<config>");

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

private:
    std::unique_ptr<toml::table> table_;
    std::string source_;
};

}  // namespace dramaloc
