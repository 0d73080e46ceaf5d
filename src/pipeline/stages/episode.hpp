#pragma once
// The episode job's stages (pipeline/stage_graph.cpp, "job episode"), one unit each;
// pipeline/localize.cpp composes them into localize_episode. Each takes what it reads and
// returns what it made; its artifact files are written and read in its own file.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "hardsubs/remove.hpp"
#include "pipeline/episode_facts.hpp"
#include "pipeline/language_stages.hpp"
#include "pipeline/source_stages.hpp"
#include "pipeline/stage.hpp"

namespace dramaloc::pipeline {

// "Spanish dub", "Chinese (original)": a track's title.
std::string language_title(const std::string& tag, const char* what);

// mux (stages/mux.cpp): one MP4 with the input video copied, the original audio, and one dub
// and one subtitle track per language.
struct MuxInputs {
    const std::filesystem::path& episode;
    const SourceAnalysis& source;
    const SubtitleTrack& source_subtitles;
    const std::vector<LanguageResult>& languages;
};
std::filesystem::path mux_episode(StageContext& context, const MuxInputs& inputs);  // localized.mp4

// burn-in (stages/burn_in.cpp): one language's subtitles drawn into the picture (after the
// burned-in ones are removed, when asked), with its dub.
struct BurnIn {
    std::string language;
    const SubtitleTrack& subtitles;
    const LanguageResult* dubbed = nullptr;  // null for the source language: its own soundtrack
    const hardsubs::RemovalOptions* removal = nullptr;  // null: the picture is not cleaned
};
struct BurnedVideo {
    std::string language;
    std::filesystem::path file;                  // burned.mp4
    std::optional<hardsubs::RemovalReport> removal;
    // Where the subtitles were drawn: the union of every frame's drawn area, in pixels of the
    // picture (its size beside it), as {x, y, width, height, frame_width, frame_height}; null
    // when nothing was drawn. Delivery checks it against a profile's safe area.
    nlohmann::json text_area;
};
BurnedVideo burn_in(StageContext& context, const std::filesystem::path& episode, const EpisodeFacts& video,
                    const SourceAnalysis& source, const BurnIn& request);
nlohmann::json to_json(const hardsubs::RemovalReport& report);  // removal.json

}  // namespace dramaloc::pipeline
