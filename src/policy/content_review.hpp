#pragma once
// Content review of a series' published episodes: its packs ([series] policy) and its glossary
// run over each episode's lines as they now stand (edits in force), in every target language
// and the source; people's resolutions kept with the outputs; the per-episode report.
//
//   OUT/content-resolutions.json      every resolution: finding, accepted or overridden, the
//                                     reason, who, when, under which pack version (appended
//                                     to under the edit log's lock, never rewritten)
//   OUT/EP/EP.content-review.json     the episode's findings and their resolutions
//   OUT/EP/EP.content-review.html     the same for people
//
// A finding names the line's text: an edit that changes the line makes its findings new, and
// a resolution of the old text no longer counts.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "series/project.hpp"
#include "policy/policy.hpp"
#include "search/library.hpp"

namespace dramaloc::policy {

struct Resolution {
    std::string finding;                  // Finding::id
    std::string episode, language;
    int line = 0;
    std::string decision;                 // "accepted" (the line may stand for this market) or "overridden" (a false hit)
    std::string reason, who, when;
    std::string pack, pack_version, rule;
};

// Every resolution so far, oldest first. InputError naming the file when it is damaged.
std::vector<Resolution> read_resolutions(const std::filesystem::path& out_dir);
// Appends one. UsageError for a decision other than accepted/overridden or an empty reason.
void record_resolution(const std::filesystem::path& out_dir, const Resolution& resolution);

// The series' packs and glossary, compiled (ConfigError naming a malformed pack's file and line).
std::shared_ptr<const ContentReviewer> content_reviewer_of(const series::SeriesProject& project);

// The language model of [engines.translate] asked a model rule's question (its backend
// "openai"); an empty asker when the series has none (model rules are then skipped).
ModelAsker model_asker(const series::SeriesProject& project);

struct EpisodeContentReview {
    std::string series, episode;
    std::vector<Finding> findings;
    std::map<std::string, Resolution> resolutions;  // finding id -> its latest resolution
    int model_rules_skipped = 0;
    bool published = false;                         // the episode has outputs to review
    // Block findings not resolved, in `language` (all languages when empty).
    int unresolved_blocks(const std::string& language = "") const;
};

// Reviews one episode's published lines (`languages`: only these; empty: all, the source too).
EpisodeContentReview review_content(const ContentReviewer& content_reviewer, const series::SeriesProject& project, const std::string& episode,
                             const std::vector<std::string>& languages = {}, const ModelAsker& ask = {});

// The block findings of the episode's report as its last publish (or dramaloc review) wrote it
// (OUT/EP/EP.content-review.json, model rules' findings among them) that no resolution in
// `resolved` (finding ids, read_resolutions) answers, by language; empty when there is no
// report. InputError naming the file when it is damaged.
std::map<std::string, int> report_unresolved_blocks(const std::filesystem::path& out_dir, const std::string& episode,
                                                    const std::set<std::string>& resolved);

nlohmann::json finding_json(const Finding& f, const Resolution* resolution);
nlohmann::json report_json(const EpisodeContentReview& review);
std::string report_html(const EpisodeContentReview& review);
// Writes OUT/EP/EP.content-review.{json,html} atomically; returns the JSON file.
std::filesystem::path write_reports(const series::SeriesProject& project, const EpisodeContentReview& review);

// What follows an episode's publish, for the factory's workers and the review server's
// renders: its lines put in the library (`index_of` gives the series' index; what it throws
// is thrown) and, when the series has packs or a glossary, its content review report written
// (a failure there is told to `warn` and does not fail the publish). Packs are compiled once
// per series file and read again when one changes.
std::function<void(const series::SeriesProject&, const std::string& episode)> after_publish(
    std::function<search::LibraryIndex&(const series::SeriesProject&)> index_of, std::function<void(const std::string&)> warn);

}  // namespace dramaloc::policy
