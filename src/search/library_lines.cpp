#include "search/library_lines.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "pipeline/artifact_json.hpp"
#include "series/edit_log.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/qc.hpp"
#include "series/review_log.hpp"

namespace dramaloc::search {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// line id -> the QC rules it broke, per language.
std::map<std::string, std::map<int, std::vector<std::string>>> qc_rules(const fs::path& folder) {
    std::map<std::string, std::map<int, std::vector<std::string>>> out;
    for (const auto& [language, findings] : pipeline::read_qc_findings(folder))
        for (const auto& f : findings) {
            if (f.event_id) continue;
            auto& rules = out[language][f.line_id];
            if (std::find(rules.begin(), rules.end(), f.rule) == rules.end()) rules.push_back(f.rule);
        }
    return out;
}

}  // namespace

std::string library_series_id(const fs::path& series_file) { return series_file.stem().string(); }

int episode_order(const std::vector<fs::path>& episodes, const std::string& episode) {
    for (std::size_t i = 0; i < episodes.size(); ++i)
        if (episodes[i].stem().string() == episode) return static_cast<int>(i + 1);
    return static_cast<int>(episodes.size() + 1);
}

std::vector<LibraryLine> episode_library_lines(const series::SeriesProject& project, const std::string& episode, int order) {
    const fs::path out_dir = project.options.run.out_dir;
    const fs::path folder = out_dir / episode;
    const pipeline::PublishedScripts scripts = pipeline::published_scripts(folder);
    std::vector<LibraryLine> out;
    if (scripts.empty()) return out;
    const series::EditLog log(out_dir);
    const auto history = log.history();  // read once: the edits in force and the approvals' standing
    const auto edits = series::EditLog::in_force(history, episode);
    const auto reviews = series::read_reviews(out_dir);
    const auto qc = qc_rules(folder);
    const std::string series = library_series_id(project.file);
    // The source lines once (from the first language's script); not when a target language is
    // the source language itself (its own rows are those lines).
    bool source_done = scripts.count(project.options.source.language) > 0;
    for (const auto& [language, script] : scripts) {
        const auto review = series::latest_review(reviews, episode, language);
        const bool approved = review && review->decision == "approved" && series::review_stands(*review, history);
        const auto language_edits = edits.find(language);
        const auto language_qc = qc.find(language);
        std::vector<LibraryLine> source_rows;
        for (const auto& line : script.lines) {
            LibraryLine l;
            l.series = series;
            l.episode = episode;
            l.episode_order = order;
            l.language = language;
            l.line = line.id;
            l.start_ms = line.start;
            l.end_ms = line.end;
            l.speaker = line.speaker;
            l.source = line.source;
            l.text = line.text;
            if (language_edits != edits.end())
                if (const auto e = language_edits->second.find(l.line); e != language_edits->second.end()) {
                    if (e->second.sets_text) {
                        l.text = e->second.text;
                        l.edited = true;
                    }
                    if (!e->second.speaker.empty()) l.speaker = e->second.speaker;
                }
            if (language_qc != qc.end())
                if (const auto rules = language_qc->second.find(l.line); rules != language_qc->second.end()) l.qc = rules->second;
            l.approved = approved;
            if (!source_done && !l.source.empty()) {
                LibraryLine s = l;
                s.language = project.options.source.language;
                s.is_source = true;
                s.text = s.source;
                s.qc.clear();
                s.edited = s.approved = false;
                source_rows.push_back(std::move(s));
            }
            out.push_back(std::move(l));
        }
        if (!source_rows.empty()) {
            source_done = true;
            out.insert(out.end(), source_rows.begin(), source_rows.end());
        }
    }
    return out;
}

std::size_t index_episode(LibraryIndex& index, const series::SeriesProject& project, const std::string& episode, int order) {
    const auto lines = episode_library_lines(project, episode, order > 0 ? order : episode_order(project.episodes, episode));
    index.replace_episode(library_series_id(project.file), episode, lines);
    return lines.size();
}

std::size_t reindex_series(LibraryIndex& index, const series::SeriesProject& project,
                           const std::function<void(const std::string&, std::size_t)>& progress) {
    index.remove_series(library_series_id(project.file));
    std::size_t total = 0;
    for (const auto& file : project.episodes) {
        const std::string episode = file.stem().string();
        const std::size_t n = index_episode(index, project, episode);
        total += n;
        if (progress) progress(episode, n);
    }
    return total;
}

namespace {
std::size_t code_points(const std::string& text, std::size_t offset) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    return n;
}
}  // namespace

json hit_to_json(const LibraryHit& hit) {
    const auto& l = hit.line;
    json matches = json::array();
    for (const auto& [start, end] : hit.matches) matches.push_back({code_points(l.text, start), code_points(l.text, end)});
    return {{"series", l.series}, {"episode", l.episode}, {"line", l.line}, {"start", static_cast<double>(l.start_ms) / 1000.0},
            {"end", static_cast<double>(l.end_ms) / 1000.0}, {"lang", l.language}, {"is_source", l.is_source}, {"character", l.speaker},
            {"text", l.text}, {"source", l.source}, {"qc", l.qc}, {"edited", l.edited}, {"approved", l.approved}, {"matches", matches}};
}

}  // namespace dramaloc::search
