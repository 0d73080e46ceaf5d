#include "series/project.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <system_error>

#include "core/config.hpp"
#include "core/error.hpp"
#include "pipeline/settings_schema.hpp"

namespace dramaloc::series {

using pipeline::apply_config;
using pipeline::LocalizeOptions;
using pipeline::parse_source_choice;
using pipeline::series_file_schema;
using pipeline::SourceChoice;
using pipeline::SourceMode;

namespace fs = std::filesystem;

namespace {

bool is_pattern(const std::string& name) { return name.find_first_of("*?[") != std::string::npos; }

fs::path from_folder(const fs::path& folder, const std::string& path) {
    const fs::path p(path);
    return p.is_absolute() ? p : folder / p;
}

// A list of strings; ConfigError (from Config) naming the key for anything else.
std::vector<std::string> strings_of(const Config& c, const std::string& key) { return c.get_strings(key).value_or(std::vector<std::string>{}); }

}  // namespace

bool natural_less(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        const auto ca = static_cast<unsigned char>(a[i]), cb = static_cast<unsigned char>(b[j]);
        if (std::isdigit(ca) && std::isdigit(cb)) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
            std::string na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
            na.erase(0, std::min(na.find_first_not_of('0'), na.size() - 1));
            nb.erase(0, std::min(nb.find_first_not_of('0'), nb.size() - 1));
            if (na.size() != nb.size()) return na.size() < nb.size();
            if (na != nb) return na < nb;
            i = ei, j = ej;
            continue;
        }
        if (ca != cb) return ca < cb;
        ++i, ++j;
    }
    if (a.size() - i != b.size() - j) return a.size() - i < b.size() - j;
    return a < b;  // equal but for leading zeros ("ep01", "ep1"): still one order, whatever the folder lists first
}

namespace {
// The files of `pattern`'s folder whose names match its file name (* ? [..]).
std::vector<fs::path> files_matching(const fs::path& pattern) {
    const std::string name = pattern.filename().string();
    std::vector<fs::path> matches;
    std::error_code ec;
    for (fs::directory_iterator it(pattern.parent_path().empty() ? "." : pattern.parent_path(), ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && fnmatch(name.c_str(), it->path().filename().c_str(), FNM_PERIOD) == 0) matches.push_back(it->path());
    return matches;
}
}  // namespace

namespace {

// [series] from, to, burn_in, source or script, subtitle_band, remove_hardsubs, textless, background,
// out, store, artifacts, over what apply_config read from the file's other tables. Returns the
// key that names the episode's script ("source" or "script").
const char* read_series_table(SeriesProject& project, const Config& c, const fs::path& folder) {
    const std::string where = c.source_name() + ": ";
    LocalizeOptions& o = project.options;
    o.source.language = c.get_string_or("series.from", "");
    if (o.source.language.empty()) throw ConfigError(where + "[series] from is missing: the language spoken in the episodes (e.g. \"zh\")");
    o.languages.targets = strings_of(c, "series.to");
    o.render.burn_in = strings_of(c, "series.burn_in");
    // Values the schema cannot judge alone: refused, like it, with the line that sets them.
    const auto value_of = [&](const char* key, auto parse) {
        try {
            return parse();
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            throw ConfigError(c.where(std::string("series.") + key) + ": [series] " + key + ": " + e.what());
        }
    };
    o.source.choice = value_of("source", [&] { return parse_source_choice(c.get_string_or("series.source", "auto")); });
    // The studio's own script for each episode: the source script, timed by the episode when
    // it has no times, and compared with the burned-in subtitles.
    const char* script_key = "source";
    if (auto script = c.get_string("series.script")) {
        if (o.source.choice.mode != SourceMode::Auto)
            throw ConfigError(c.where("series.script") + ": [series] script and source = \"" + c.get_string_or("series.source", "") +
                              "\" both say where the source script comes from; keep one");
        o.source.choice = SourceChoice{SourceMode::Import, *script};
        script_key = "script";
    }
    if (o.source.choice.mode == SourceMode::Import) project.import_pattern = from_folder(folder, o.source.choice.import_file.string()).string();
    if (auto band = c.get_string("series.subtitle_band")) o.source.subtitle_band = value_of("subtitle_band", [&] { return hardsubs::parse_band(*band); });
    o.render.remove_hardsubs = c.get_bool_or("series.remove_hardsubs", false);
    o.render.textless = c.get_bool_or("series.textless", false);
    if (auto stem = c.get_string("series.background")) project.background_pattern = from_folder(folder, *stem).string();
    o.run.out_dir = from_folder(folder, c.get_string_or("series.out", "out"));
    if (auto store = c.get_string("series.store")) o.run.store_dir = from_folder(folder, *store);
    if (auto artifacts = c.get_string("series.artifacts")) o.run.artifacts_url = *artifacts;
    return script_key;
}

// [series] episodes: files and patterns, each pattern's matches in natural order.
void read_episodes(SeriesProject& project, const Config& c, const fs::path& folder) {
    const auto entries = strings_of(c, "series.episodes");
    if (entries.empty())
        throw ConfigError(c.source_name() + ": [series] episodes is missing: list the episode files, e.g. [\"episodes/*.mp4\"]");
    for (const auto& entry : entries) {
        const fs::path path = from_folder(folder, entry);
        const std::string name = path.filename().string();
        if (!is_pattern(name)) {
            project.episodes.push_back(path);  // a missing file fails as that episode's own error
            continue;
        }
        project.episode_patterns.push_back(path);
        std::vector<fs::path> matches = files_matching(path);
        if (matches.empty())
            throw ConfigError(c.where("series.episodes") + ": [series] episodes: \"" + entry + "\" matches no file in " + path.parent_path().string());
        std::sort(matches.begin(), matches.end(),
                  [](const fs::path& a, const fs::path& b) { return natural_less(a.filename().string(), b.filename().string()); });
        project.episodes.insert(project.episodes.end(), matches.begin(), matches.end());
    }
    std::set<std::string> names;
    for (const auto& e : project.episodes)
        if (!names.insert(e.stem().string()).second)
            throw ConfigError(c.where("series.episodes") + ": [series] episodes: two episodes are named \"" + e.stem().string() +
                              "\"; their outputs would share OUT/" + e.stem().string() + "/ (rename one)");
}

// [series] policy: the content review's packs, patterns expanded in name order.
void read_policy_packs(SeriesProject& project, const Config& c, const fs::path& folder) {
    for (const auto& entry : strings_of(c, "series.policy")) {
        const fs::path path = from_folder(folder, entry);
        const std::string name = path.filename().string();
        if (!is_pattern(name)) {
            if (!fs::is_regular_file(path)) throw ConfigError(c.where("series.policy") + ": [series] policy: " + path.string() + " is not a file");
            project.policy_packs.push_back(path);
            continue;
        }
        std::vector<fs::path> matches = files_matching(path);
        if (matches.empty()) throw ConfigError(c.where("series.policy") + ": [series] policy: \"" + entry + "\" matches no file in " + path.parent_path().string());
        std::sort(matches.begin(), matches.end());
        project.policy_packs.insert(project.policy_packs.end(), matches.begin(), matches.end());
    }
}

}  // namespace

SeriesProject load_series_project(const fs::path& file) {
    SeriesProject project;
    project.file = file;
    auto config = std::make_shared<Config>(Config::load(file, series_file_schema()));
    const Config& c = *config;
    const fs::path folder = file.parent_path();  // empty for a file in the working folder
    if (c.keys("series").empty())
        throw ConfigError(c.source_name() + ": a series file needs a [series] table with from, to and episodes (docs/configuration.md, \"Series files\")");
    LocalizeOptions& o = project.options;
    apply_config(o, c);
    project.cast = o.source.known_characters;
    o.languages.config = config;
    const char* script_key = read_series_table(project, c, folder);
    read_episodes(project, c, folder);
    read_policy_packs(project, c, folder);
    // A script or a stem is an episode's own: with several episodes, the path must name it.
    for (const auto& [key, pattern] : {std::pair{script_key, project.import_pattern}, std::pair{"background", project.background_pattern}})
        if (project.episodes.size() > 1 && !pattern.empty() && pattern.find("{episode}") == std::string::npos)
            throw ConfigError(c.where(std::string("series.") + key) + ": [series] " + key + ": one file for " + std::to_string(project.episodes.size()) +
                              " episodes; put {episode} in the path for each episode's own (e.g. \"scripts/{episode}.srt\")");
    if (project.episodes.size() == 1) apply_episode_paths(project, project.episodes[0].stem().string(), o);
    Series series = o.languages.series ? *o.languages.series : Series{};
    series.title = c.get_string_or("series.title", "");
    series.source_language = o.source.language;
    series.target_languages = o.languages.targets;
    series.cast = project.cast;
    for (const auto& e : project.episodes) series.episodes.push_back(e.string());
    o.languages.series = std::make_shared<const Series>(std::move(series));
    return project;
}

void apply_episode_paths(const SeriesProject& project, const std::string& name, LocalizeOptions& options) {
    const auto with_name = [&](std::string pattern) {
        for (std::size_t at = 0; (at = pattern.find("{episode}", at)) != std::string::npos; at += name.size()) pattern.replace(at, 9, name);
        return fs::path(pattern);
    };
    if (!project.import_pattern.empty()) options.source.choice.import_file = with_name(project.import_pattern);
    if (!project.background_pattern.empty()) options.languages.background_stem = with_name(project.background_pattern);
}

}  // namespace dramaloc::series
