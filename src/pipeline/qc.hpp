#pragma once
// Automatic quality checks of one target language of one episode: what qc.json says of it
// ("languages"), typed. Made by check_language (pipeline/language_stages.cpp) from the
// language's stages; to_json is its one serializer.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.hpp"

namespace dramaloc::pipeline {

struct QcFinding {
    std::string rule;      // "fit_overflow", "max_chars_per_second", "edit_orphaned", …
    std::string severity;  // "error", "warning" or "info"
    // The line (its id; 0 for the whole language) or, for a subtitle rule, the event.
    int line_id = 0;
    std::optional<int> event_id;
    double value = 0;
    double limit = 0;
    std::string message;  // one line
    nlohmann::json to_json() const;
    static std::optional<QcFinding> from_json(const nlohmann::json& j);  // nullopt for one that is not
};

// One round of shortening a line whose dub did not fit (stage shorten).
struct ShortenRound {
    int round = 0;
    int max_chars = 0;  // asked of the translator
    std::string from, text;
    bool fits = false;  // after speaking and fitting the shorter text
    TimeMs overflow_ms = 0;
    nlohmann::json to_json() const;
};

// Where one line's dub went, and how it was made to fit.
struct QcClip {
    int line_id = 0;
    TimeMs line_start_ms = 0, line_end_ms = 0;
    TimeMs start_ms = 0, end_ms = 0;
    double speed = 1.0;
    TimeMs borrowed_ms = 0, overflow_ms = 0, shifted_ms = 0;
    std::vector<ShortenRound> shorten_rounds;
    nlohmann::json to_json() const;
};

struct QcSummary {
    int lines = 0;
    int events = 0;
    int lines_fitting = 0;
    int untranslated = 0;
    int over_reading_speed = 0;  // subtitle events over the language's characters per second
    int fit_overflows = 0;       // dubs that run past their slot even at the speed bound
    int edited = 0;
    int edit_conflicts = 0;
    std::optional<double> integrated_lufs;  // of the dub mix; none for silence
    std::optional<double> true_peak_dbtp;
    int errors = 0;
    int warnings = 0;
    nlohmann::json to_json() const;
};

struct QcReport {
    std::vector<QcFinding> findings;
    std::vector<QcClip> clips;
    QcSummary summary;
    nlohmann::json to_json() const;  // {"findings", "clips", "summary"}
};

// qc.json's findings of an episode's folder, by language; empty when it is missing or damaged
// (QC is shown, not relied on), and a finding that cannot be read is left out.
std::map<std::string, std::vector<QcFinding>> read_qc_findings(const std::filesystem::path& episode_folder);

}  // namespace dramaloc::pipeline
