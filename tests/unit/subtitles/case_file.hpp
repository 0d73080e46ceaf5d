#pragma once
// Reader of the declarative subtitle rule cases in tests/cases/subtitles/ (format in
// tests/cases/subtitles/README.md).
#include <filesystem>
#include <string>
#include <vector>

#include "core/script.hpp"
#include "core/time.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::subtitles::test {

struct ExpectedViolation {
    int event_id = 0;
    std::string rule;
    bool operator==(const ExpectedViolation&) const = default;
};

struct RuleCase {
    std::filesystem::path path;
    std::string language = "en";
    FrameRate frame_rate{30, 1};
    SubtitleRules rules;                  // language defaults + `set` lines
    Script script;                        // `line` / `word` inputs (segment cases)
    std::vector<SubtitleEvent> events;    // `event` inputs (check cases) — or expected events (segment)
    std::vector<SubtitleEvent> expected_events;
    std::vector<ExpectedViolation> expected_violations;
};

// Throws std::runtime_error "FILE:LINE: problem" for a malformed case.
RuleCase read_case(const std::filesystem::path& path);

// Case files in tests/cases/subtitles/<kind>/ (sorted); the folder is found through
// $DRAMALOC_SOURCE_DIR, or the source tree this test was built from.
std::vector<std::filesystem::path> case_files(const std::string& kind);

// "1.250" (seconds) — the form case files use.
std::string seconds(TimeMs t);

}  // namespace dramaloc::subtitles::test
