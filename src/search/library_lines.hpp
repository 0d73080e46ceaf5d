#pragma once
// What the library keeps of a series' outputs: each published episode's lines in every
// language and in the source language (manifest.json "scripts"), with the edits in force
// (OUT/edits.json), the QC rules each line broke (qc.json) and whether the episode × language
// has an approval that still stands (OUT/reviews.json).
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "series/project.hpp"
#include "search/library.hpp"

namespace dramaloc::search {

// The series' name in the library: the series file's name without extension (as the review
// server names it).
std::string library_series_id(const std::filesystem::path& series_file);

// An episode's place in the series (from 1; after the last when it is not among `episodes`).
int episode_order(const std::vector<std::filesystem::path>& episodes, const std::string& episode);

// The library lines of one episode (`order`: its place in the series, from 1). Nothing when it
// was never published. InputError naming the file when the edit or review log is damaged.
std::vector<LibraryLine> episode_library_lines(const series::SeriesProject& project, const std::string& episode, int order);

// Puts one episode's lines in the index in place of its old ones; returns how many. `order`:
// its place in the series (from 1); 0 looks it up in project.episodes (which must then not
// change meanwhile: a server whose uploads add episodes passes the place it read).
std::size_t index_episode(LibraryIndex& index, const series::SeriesProject& project, const std::string& episode, int order = 0);

// Rebuilds the series' part of the index from its outputs (dramaloc reindex): every episode,
// each in its own transaction; `progress(episode, lines)` after each. Returns the lines indexed.
std::size_t reindex_series(LibraryIndex& index, const series::SeriesProject& project,
                           const std::function<void(const std::string&, std::size_t)>& progress = {});

// A hit as the CLI (--json) and the API give it: series, episode, line, start and end in
// seconds, lang, character, text, source, qc, edited, approved, and matches as [start, end)
// offsets in code points of text (what JavaScript's Array.from(text) counts).
nlohmann::json hit_to_json(const LibraryHit& hit);

}  // namespace dramaloc::search
