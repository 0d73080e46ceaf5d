#include "core/config.hpp"

#include <toml++/toml.h>

#include <sstream>

#include "core/config_schema.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"

namespace dramaloc {

Config::Config() : table_(std::make_unique<toml::table>()) {}
Config::~Config() = default;
Config::Config(Config&&) noexcept = default;
Config& Config::operator=(Config&&) noexcept = default;

Config Config::parse(std::string_view text, std::string source_name, const ConfigSchema& schema) {
    Config c;
    c.source_ = std::move(source_name);
    try {
        *c.table_ = toml::parse(text, c.source_);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << c.source_ << ":" << e.source().begin.line << ":" << e.source().begin.column
            << ": invalid TOML: " << e.description();
        throw ConfigError(msg.str());
    }
    schema.check(*c.table_, c.source_);
    return c;
}

Config Config::load(const std::filesystem::path& path, const ConfigSchema& schema) {
    return parse(read_text_file(path, 8u << 20), path.string(), schema);
}

int Config::line_of(std::string_view key) const {
    const toml::node* node = table_->at_path(key).node();
    return node ? static_cast<int>(node->source().begin.line) : 0;
}

std::string Config::where(std::string_view key) const {
    const int line = line_of(key);
    return line > 0 ? source_ + ":" + std::to_string(line) : source_;
}

namespace {
template <typename T>
std::optional<T> typed(const toml::table& t, std::string_view key, const std::string& source, const char* expected) {
    const toml::node* node = t.at_path(key).node();
    if (!node) return std::nullopt;
    if (auto v = node->value<T>()) return *v;
    throw ConfigError(source + ": key \"" + std::string(key) + "\" must be " + expected);
}
}  // namespace

bool Config::has(std::string_view key) const { return table_->at_path(key).node() != nullptr; }

std::optional<std::string> Config::get_string(std::string_view key) const {
    return typed<std::string>(*table_, key, source_, "a string");
}
std::optional<std::int64_t> Config::get_int(std::string_view key) const {
    const toml::node* node = table_->at_path(key).node();
    if (node && !node->is_integer())
        throw ConfigError(source_ + ": key \"" + std::string(key) + "\" must be an integer");
    return typed<std::int64_t>(*table_, key, source_, "an integer");
}
std::optional<double> Config::get_double(std::string_view key) const {
    return typed<double>(*table_, key, source_, "a number");
}
std::optional<bool> Config::get_bool(std::string_view key) const {
    return typed<bool>(*table_, key, source_, "true or false");
}
std::optional<std::vector<std::string>> Config::get_strings(std::string_view key) const {
    const toml::node* node = table_->at_path(key).node();
    if (!node) return std::nullopt;
    const toml::array* arr = node->as_array();
    std::vector<std::string> out;
    if (arr) {
        for (const auto& el : *arr) {
            if (auto s = el.value<std::string>()) out.push_back(*s);
            else arr = nullptr;
        }
    }
    if (!arr) throw ConfigError(source_ + ": key \"" + std::string(key) + "\" must be a list of strings");
    return out;
}
std::vector<std::string> Config::keys(std::string_view key) const {
    std::vector<std::string> out;
    const toml::node* node = key.empty() ? table_.get() : table_->at_path(key).node();
    if (const toml::table* t = node ? node->as_table() : nullptr) {
        for (const auto& [k, v] : *t) out.emplace_back(k.str());
    }
    return out;
}

}  // namespace dramaloc
