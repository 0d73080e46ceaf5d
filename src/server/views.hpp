#pragma once
// What the review station's routes answer, built from what was read: pure functions of the
// series' files and records, unit-tested without HTTP (tests/unit/server/views_test.cpp).
// The routes (server/routes/) read the files through the station's caches and call these.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/script.hpp"
#include "server/token_store.hpp"
#include "series/edit_log.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/qc.hpp"
#include "series/review_log.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::server::views {

using nlohmann::json;

// A name as one segment of a URL path (RFC 3986: unreserved characters as they are).
std::string url_segment(const std::string& name);

// QC's findings (an episode's qc.json) of one language, by line id: [{rule, severity, message}].
std::map<int, json> qc_flags(const std::map<std::string, std::vector<pipeline::QcFinding>>& qc, const std::string& language);

// One line as the page shows it: the published line (manifest "scripts"), with its edits
// from the series' history: the text in force (a person's, or the machine's after a revert),
// its speaker, its revision (edits made), stale when that has moved on from the published
// one; with its QC flags and content review findings.
json line_view(const pipeline::PublishedLine& published_line, const std::vector<series::LineEdit>& history, const std::string& episode,
               const std::string& language, json qc, json findings);

// Which engines made the episode, in the pipeline's order, from its manifest:
// [{stage, identity}]. A manifest of before dramaloc recorded endpoints holds names alone.
json engines_view(const pipeline::Manifest& manifest);

// Who a line can be given to: the cast, then the characters met so far (characters.json),
// then any speaker the scripts name; each once, in that order: [{id, name}].
json characters_view(const std::vector<Character>& cast, const json& registry, const pipeline::PublishedScripts& scripts);

// The language's subtitle rules for the page's live feedback.
json rules_view(const subtitles::SubtitleRules& rules);

// Languages by their English names ("es" -> "Spanish", "zh-Hant" -> "Chinese (Hant)"; an
// unknown tag as itself).
json language_names(const std::vector<std::string>& tags);

// The latest decision on an episode × language, and whether it stands; null when none.
json review_view(const std::optional<series::Review>& review, bool stands);

// Who is signed in: {name, role, expires (UTC, or null: never)}.
json session_view(const TokenInfo& token);

}  // namespace dramaloc::server::views
