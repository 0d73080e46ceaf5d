#include "core/effective_config.hpp"

#include <toml++/toml.h>

#include <algorithm>

#include "core/config.hpp"
#include "core/config_schema.hpp"

namespace dramaloc {

namespace {

using Path = std::vector<std::string>;

nlohmann::json json_of(const toml::node& node) {
    if (const auto* s = node.as_string()) return s->get();
    if (const auto* i = node.as_integer()) return i->get();
    if (const auto* f = node.as_floating_point()) return f->get();
    if (const auto* b = node.as_boolean()) return b->get();
    if (const auto* a = node.as_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& item : *a) out.push_back(json_of(item));
        return out;
    }
    return nullptr;  // dates and times: no schema declares one, so a checked file has none
}

Path split(const std::string& path) {
    Path parts;
    std::size_t from = 0;
    for (std::size_t dot; (dot = path.find('.', from)) != std::string::npos; from = dot + 1) parts.push_back(path.substr(from, dot - from));
    parts.push_back(path.substr(from));
    return parts;
}

const toml::table* table_at(const toml::table& document, const Path& path) {
    const toml::table* t = &document;
    for (const auto& part : path) {
        const toml::node* child = t->get(part);
        t = child ? child->as_table() : nullptr;
        if (!t) return nullptr;
    }
    return t;
}

// The tables of `layers` that a declared path names, "*" standing for any name: each path
// once, in the order first met.
void expand(const Path& declared, std::size_t at, Path& actual, const std::vector<const Config*>& layers, std::vector<Path>& out) {
    if (at == declared.size()) {
        if (std::find(out.begin(), out.end(), actual) == out.end()) out.push_back(actual);
        return;
    }
    if (declared[at] != "*") {
        actual.push_back(declared[at]);
        expand(declared, at + 1, actual, layers, out);
        actual.pop_back();
        return;
    }
    for (const Config* layer : layers) {
        const toml::table* t = table_at(layer->document(), actual);
        if (!t) continue;
        for (const auto& [key, node] : *t) {
            if (!node.is_table()) continue;
            actual.emplace_back(key.str());
            expand(declared, at + 1, actual, layers, out);
            actual.pop_back();
        }
    }
}

std::string dotted(const Path& path, const std::string& key) {
    std::string out;
    for (const auto& part : path) out += toml_key(part) + ".";
    return out + toml_key(key);
}

}  // namespace

std::vector<Setting> effective_settings(const ConfigSchema& schema, const std::vector<const Config*>& layers) {
    std::vector<Setting> out;
    for (const auto& table : schema.tables()) {
        if (table.array) continue;  // lists of tables are content (policy packs), not settings
        std::vector<Path> paths;
        Path actual;
        expand(split(table.path), 0, actual, layers, paths);
        for (const auto& path : paths) {
            // The value of `key` in the highest layer that sets it.
            const auto set_by = [&](const std::string& key, Setting& s) {
                for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer) {
                    const toml::table* t = table_at((*layer)->document(), path);
                    const toml::node* node = t ? t->get(key) : nullptr;
                    if (!node || node->is_table()) continue;
                    s.value = json_of(*node);
                    s.origin = (*layer)->source_name() + ":" + std::to_string(node->source().begin.line);
                    return true;
                }
                return false;
            };
            for (const auto& key : table.keys) {
                Setting s{dotted(path, key.name), key.fallback, "default", key.fallback.is_null() ? key.unset : ""};
                if (set_by(key.name, s)) s.note.clear();
                out.push_back(std::move(s));
            }
            if (!table.other_keys) continue;
            std::vector<std::string> others;
            for (const Config* layer : layers)
                if (const toml::table* t = table_at(layer->document(), path))
                    for (const auto& [key, node] : *t) {
                        const std::string name(key.str());
                        const bool declared = std::any_of(table.keys.begin(), table.keys.end(), [&](const ConfigKey& k) { return k.name == name; });
                        if (!node.is_table() && !declared && std::find(others.begin(), others.end(), name) == others.end()) others.push_back(name);
                    }
            for (const auto& name : others) {
                Setting s{dotted(path, name), nullptr, "default", ""};
                set_by(name, s);
                out.push_back(std::move(s));
            }
        }
    }
    return out;
}

}  // namespace dramaloc
