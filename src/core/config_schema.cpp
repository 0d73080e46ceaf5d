#include "core/config_schema.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/language.hpp"

namespace dramaloc {

ConfigKey ConfigKey::text(std::string name, std::string fallback) {
    ConfigKey k{std::move(name), ConfigType::String};
    if (!fallback.empty()) k.fallback = std::move(fallback);
    return k;
}
ConfigKey ConfigKey::choice(std::string name, std::string fallback, std::vector<std::string> choices) {
    ConfigKey k = text(std::move(name), std::move(fallback));
    k.choices = std::move(choices);
    return k;
}
ConfigKey ConfigKey::integer(std::string name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
    ConfigKey k{std::move(name), ConfigType::Integer, fallback};
    k.min = static_cast<double>(min);
    k.max = static_cast<double>(max);
    return k;
}
ConfigKey ConfigKey::number(std::string name, double fallback, double min, double max) {
    ConfigKey k{std::move(name), ConfigType::Number, fallback};
    k.min = min;
    k.max = max;
    return k;
}
ConfigKey ConfigKey::boolean(std::string name, bool fallback) { return {std::move(name), ConfigType::Boolean, fallback}; }
ConfigKey ConfigKey::strings(std::string name, std::vector<std::string> fallback) {
    return {std::move(name), ConfigType::StringList, nlohmann::json(std::move(fallback))};
}

namespace {

std::string describe(ConfigType type) {
    switch (type) {
        case ConfigType::String: return "a string";
        case ConfigType::Integer: return "an integer";
        case ConfigType::Number: return "a number";
        case ConfigType::Boolean: return "true or false";
        case ConfigType::StringList: return "a list of strings";
    }
    return "a value";
}

std::string describe(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a number";
        case toml::node_type::boolean: return "true or false";
        case toml::node_type::array: return node.as_array()->is_array_of_tables() ? "a list of tables" : "a list";
        case toml::node_type::table: return "a table";
        default: return "a date or time";
    }
}

std::string number_text(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.15g", v);
    return buffer;
}

int line_of(const toml::source_region& where) { return static_cast<int>(where.begin.line); }

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (std::size_t dot; (dot = path.find('.', from)) != std::string::npos; from = dot + 1) parts.push_back(path.substr(from, dot - from));
    if (!path.empty()) parts.push_back(path.substr(from));
    return parts;
}

// A table's header as a person writes it: [engines.translate], [glossary."林小姐"], [[term]];
// a "*" of a declared family reads NAME ([cast.NAME]).
std::string header(const std::vector<std::string>& path, bool array = false) {
    std::string out;
    for (const auto& part : path) out += (out.empty() ? "" : ".") + (part == "*" ? std::string("NAME") : toml_key(part));
    return array ? "[[" + out + "]]" : "[" + out + "]";
}

// How far apart two names are, for "did you mean": edits between their lower-case letters,
// a swap of two neighbours counting as one (nmae → name, scrpit → script), which the
// Levenshtein alignment of core/edit_distance.hpp counts as two.
std::size_t name_distance(const std::string& a, const std::string& b) {
    const auto lower = [](unsigned char c) { return std::tolower(c); };
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const bool same = lower(a[i - 1]) == lower(b[j - 1]);
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same ? 0 : 1)});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The known name nearest `name`, when near enough to be what was meant: a third of its
// letters wrong at most (backnd → backend, nmae → name, qcc → qc), or one the start of
// the other (api_key → api_key_env).
std::optional<std::string> nearest(const std::string& name, const std::vector<std::string>& known) {
    std::optional<std::string> best;
    std::size_t best_distance = 0;
    for (const auto& candidate : known) {
        const std::size_t d = name_distance(name, candidate);
        const std::size_t shorter = std::min(name.size(), candidate.size());
        const bool prefix = shorter >= 4 && (candidate.rfind(name, 0) == 0 || name.rfind(candidate, 0) == 0);
        if (d > std::max<std::size_t>(1, name.size() / 3) && !prefix) continue;
        if (!best || d < best_distance) best = candidate, best_distance = d;
    }
    return best;
}

class Checker {
public:
    Checker(const std::vector<ConfigTable>& tables, const std::string& source) : source_(source) {
        for (const auto& t : tables) declared_.push_back({split_path(t.path), &t});
    }

    void table(const toml::table& t, const std::vector<std::string>& path) {
        const ConfigTable* spec = exactly(path);
        for (const auto& [key, node] : t) {
            const std::string name(key.str());
            std::vector<std::string> child = path;
            child.push_back(name);
            const int line = line_of(key.source());
            if (const ConfigTable* sub = exactly(child)) {
                if (sub->member_names && split_path(sub->path).back() == "*" && !sub->member_names->accepts(name)) {
                    unknown_name(name, *sub->member_names, path, line, true);
                    continue;
                }
                nested(node, child, *sub, line);
            } else if (leads_to_table(child)) {
                if (const auto* inner = node.as_table()) table(*inner, child);
                else problem(line, "\"" + name + "\" holds tables, written " + first_table_under(child) + " (found " + describe(node) + ")");
            } else if (const ConfigKey* k = spec ? find_key(*spec, name) : nullptr) {
                value(node, *k, path, line);
            } else if (spec && spec->other_keys) {
                if (spec->other_key_names && !spec->other_key_names->accepts(name)) {
                    unknown_name(name, *spec->other_key_names, path, line, false);
                    continue;
                }
                ConfigKey any{name, *spec->other_keys};
                value(node, any, path, line);
            } else {
                unknown(name, node, path, spec, line);
            }
        }
    }

    std::vector<std::pair<int, std::string>> found;

private:
    struct Declared {
        std::vector<std::string> parts;
        const ConfigTable* table;
    };

    // std::equal's order: the actual path first, the declared one second.
    static bool part_matches(const std::string& actual, const std::string& declared) { return declared == "*" || declared == actual; }

    const ConfigTable* exactly(const std::vector<std::string>& path) const {
        for (const auto& d : declared_) {
            if (d.parts.size() != path.size()) continue;
            if (std::equal(path.begin(), path.end(), d.parts.begin(), part_matches)) return d.table;
        }
        return nullptr;
    }
    // A declared table lies at or under `path` ([engines] holds [engines.translate]).
    bool leads_to_table(const std::vector<std::string>& path) const {
        for (const auto& d : declared_)
            if (d.parts.size() >= path.size() && std::equal(path.begin(), path.end(), d.parts.begin(), part_matches)) return true;
        return false;
    }
    // How a table under `path` is written: [glossary.NAME] under "glossary".
    std::string first_table_under(const std::vector<std::string>& path) const {
        for (const auto& d : declared_)
            if (d.parts.size() > path.size() && std::equal(path.begin(), path.end(), d.parts.begin(), part_matches)) {
                std::vector<std::string> shown = path;
                shown.insert(shown.end(), d.parts.begin() + static_cast<std::ptrdiff_t>(path.size()), d.parts.end());
                return header(shown, d.table->array);
            }
        return header(path);
    }
    static const ConfigKey* find_key(const ConfigTable& t, const std::string& name) {
        for (const auto& k : t.keys)
            if (k.name == name) return &k;
        return nullptr;
    }

    static std::string where(const std::vector<std::string>& path, const ConfigTable* spec = nullptr) {
        return path.empty() ? "outside any table" : "in " + header(path, spec && spec->array);
    }

    void problem(int line, const std::string& what) { found.emplace_back(line, source_ + ":" + std::to_string(line) + ": " + what); }

    void nested(const toml::node& node, const std::vector<std::string>& path, const ConfigTable& spec, int line) {
        if (!spec.array) {
            if (const auto* t = node.as_table()) table(*t, path);
            else problem(line, header(path) + " is a table, written " + header(path) + " (found " + describe(node) + ")");
            return;
        }
        const auto* list = node.as_array();
        if (!list || (!list->empty() && !list->is_array_of_tables())) {
            problem(line, header(path, true) + " entries are tables, each written " + header(path, true) + " (found " + describe(node) + ")");
            return;
        }
        for (const auto& item : *list) table(*item.as_table(), path);
    }

    void value(const toml::node& node, const ConfigKey& k, const std::vector<std::string>& path, int line) {
        const ConfigTable* spec = exactly(path);
        const std::string key = "key \"" + k.name + "\" " + where(path, spec);
        bool typed = false;
        switch (k.type) {
            case ConfigType::String: typed = node.is_string(); break;
            case ConfigType::Integer: typed = node.is_integer(); break;
            case ConfigType::Number: typed = node.is_number(); break;
            case ConfigType::Boolean: typed = node.is_boolean(); break;
            case ConfigType::StringList: {
                const auto* list = node.as_array();
                typed = list && std::all_of(list->begin(), list->end(), [](const toml::node& n) { return n.is_string(); });
                break;
            }
        }
        if (!typed) return problem(line, key + " must be " + describe(k.type) + " (found " + describe(node) + ")");
        if (!k.choices.empty()) {
            const std::string& s = node.as_string()->get();
            if (std::find(k.choices.begin(), k.choices.end(), s) != k.choices.end()) return;
            std::string list;
            for (std::size_t i = 0; i < k.choices.size(); ++i)
                list += std::string(i == 0 ? "" : i + 1 == k.choices.size() ? " or " : ", ") + "\"" + k.choices[i] + "\"";
            return problem(line, key + " must be " + list + " (found \"" + s + "\")");
        }
        if ((k.type != ConfigType::Integer && k.type != ConfigType::Number) || (!k.min && !k.max)) return;
        const double v = node.is_integer() ? static_cast<double>(node.as_integer()->get()) : node.as_floating_point()->get();
        const bool low = k.min && (k.above_min ? !(v > *k.min) : !(v >= *k.min));
        const bool high = k.max && !(v <= *k.max);
        if (!low && !high) return;
        std::string range;
        if (k.min && k.max) {
            range = k.above_min ? "more than " + number_text(*k.min) + " and at most " + number_text(*k.max)
                                : "between " + number_text(*k.min) + " and " + number_text(*k.max);
        } else {
            range = k.min ? (k.above_min ? "more than " : "at least ") + number_text(*k.min) : "at most " + number_text(*k.max);
        }
        problem(line, key + " must be " + range + " (found " + (std::isnan(v) ? std::string("nan") : number_text(v)) + ")");
    }

    void unknown(const std::string& name, const toml::node& node, const std::vector<std::string>& path, const ConfigTable* spec, int line) {
        // The names a person may have meant: the table's keys, and the tables under it.
        std::vector<std::string> known;
        if (spec)
            for (const auto& k : spec->keys) known.push_back(k.name);
        for (const auto& d : declared_)
            if (d.parts.size() > path.size() && d.parts[path.size()] != "*" &&
                std::equal(path.begin(), path.end(), d.parts.begin(), part_matches) &&
                std::find(known.begin(), known.end(), d.parts[path.size()]) == known.end())
                known.push_back(d.parts[path.size()]);
        std::vector<std::string> child = path;
        child.push_back(name);
        const bool list_of_tables = node.is_array() && !node.as_array()->empty() && node.as_array()->is_array_of_tables();
        const bool a_table = node.is_table() || list_of_tables;
        std::string what = a_table ? "unknown table " + header(child, list_of_tables) : "unknown key \"" + name + "\" " + where(path, spec);
        if (const auto near = nearest(name, known)) {
            std::vector<std::string> meant = path;
            meant.push_back(*near);
            what += "; did you mean " + (a_table ? header(meant, list_of_tables) : "\"" + *near + "\"") + "?";
        } else if (const auto elsewhere = table_with_key(name); !a_table && !elsewhere.empty()) {
            what += "; \"" + name + "\" is a key of " + elsewhere;
        } else if (spec && !spec->hint.empty()) {
            what += "; " + spec->hint;
        }
        problem(line, what);
    }

    // A name the file chose that the table does not take: [glossary."林小姐"] enn = "…".
    void unknown_name(const std::string& name, const ConfigNames& names, const std::vector<std::string>& path, int line, bool member) {
        std::vector<std::string> child = path;
        child.push_back(name);
        std::string what = member ? "unknown table " + header(child) + ": \"" + name + "\" is no " + names.what + " dramaloc knows"
                                  : "unknown " + names.what + " \"" + name + "\" " + where(path, exactly(path));
        if (const auto near = nearest(name, names.known)) what += "; did you mean \"" + *near + "\"?";
        problem(line, what);
    }

    // The table that declares a key named `name`, when one does ("shorten_rounds" in [fit]).
    std::string table_with_key(const std::string& name) const {
        for (const auto& d : declared_)
            if (find_key(*d.table, name)) return header(d.parts, d.table->array);
        return {};
    }

    std::vector<Declared> declared_;
    const std::string& source_;
};

}  // namespace

ConfigSchema::ConfigSchema(std::string kind, std::vector<ConfigTable> tables, std::string docs)
    : kind_(std::move(kind)), tables_(std::move(tables)), docs_(std::move(docs)) {}

std::vector<std::string> ConfigSchema::problems(const toml::table& document, const std::string& source) const {
    Checker checker(tables_, source);
    checker.table(document, {});
    auto& found = checker.found;
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& [line, message] : found) out.push_back(docs_.empty() ? std::move(message) : message + " (" + docs_ + ")");
    return out;
}

void ConfigSchema::check(const toml::table& document, const std::string& source) const {
    auto found = problems(document, source);
    if (!found.empty()) throw InvalidConfig(std::move(found));
}

namespace {
std::string first_of(const std::vector<std::string>& problems) {
    if (problems.empty()) return "invalid configuration";
    if (problems.size() == 1) return problems.front();
    const std::size_t more = problems.size() - 1;
    return problems.front() + " (and " + std::to_string(more) + (more == 1 ? " more problem)" : " more problems)");
}
}  // namespace

InvalidConfig::InvalidConfig(std::vector<std::string> problems) : ConfigError(first_of(problems)), problems_(std::move(problems)) {}

ConfigNames language_names(std::vector<std::string> also) {
    ConfigNames names{"language", nullptr, also};
    for (const auto& l : known_languages()) names.known.push_back(l.bcp47);
    names.accepts = [also = std::move(also)](const std::string& name) {
        return std::find(also.begin(), also.end(), name) != also.end() || find_language(name).has_value();
    };
    return names;
}

std::string toml_key(const std::string& name) {
    const bool bare = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-';
    });
    if (bare) return name;
    std::string out = "\"";
    for (const char c : name) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out + "\"";
}

std::string mask_url_credentials(const std::string& text) {
    std::string out = text;
    // scheme://user:password@host
    for (std::size_t at = out.find("://"); at != std::string::npos; at = out.find("://", at + 3)) {
        const std::size_t start = at + 3;
        const std::size_t end = out.find_first_of("/?# \t", start);
        const std::size_t sign = out.rfind('@', end == std::string::npos ? std::string::npos : end);
        if (sign == std::string::npos || sign < start) continue;
        const std::size_t colon = out.find(':', start);
        if (colon == std::string::npos || colon > sign) continue;
        out.replace(colon + 1, sign - colon - 1, kMaskedSecret);
    }
    // password=… (libpq key/value strings and URL parameters)
    for (std::size_t at = out.find("password="); at != std::string::npos; at = out.find("password=", at + 1)) {
        const std::size_t start = at + 9;
        const std::size_t end = std::min(out.find_first_of("& \t", start), out.size());
        out.replace(start, end - start, kMaskedSecret);
    }
    return out;
}

}  // namespace dramaloc
