#pragma once
// Where every episode × language of a series stands, for a production manager (dramaloc
// board, GET /api/series/{series}/board, the page's board view): one state per version, who
// holds it, whether it is late or blocked, where it was delivered; and the series' throughput
// and estimated finish. Made from what the series' outputs say (manifests, reviews, edits,
// content review reports and resolutions), the job store's latest plan, the delivery log and
// the assignments: nothing of its own is stored.
//
// A version's state, in the order work moves it:
//   waiting     nothing rendered yet, no job for it
//   rendering   a job for it is queued or running
//   failed      its last run failed (blocked)
//   to-review   published, nobody has touched it
//   in-review   edited or rejected since it was published (`who`: the last to edit or reject it)
//   approved    an approval stands, but edited lines are not rendered yet or a block finding
//               of the content review is unresolved
//   cleared     may be delivered: approved, rendered after its last edit, no unresolved block
//   delivered   cleared and delivered (this approval) to the profiles listed
// "late": an assignment covers it, its due date has passed and it is not cleared yet.
// "blocked": its last run failed, or a block finding of the content review is unresolved.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "board/assignments.hpp"
#include "delivery/delivery_log.hpp"
#include "jobs/job_store.hpp"
#include "pipeline/manifest.hpp"

namespace dramaloc::series {
struct SeriesProject;
struct Review;
struct LineEdit;
}

namespace dramaloc::board {

enum class State { Waiting, Rendering, Failed, ToReview, InReview, Approved, Cleared, Delivered };
const char* to_string(State state) noexcept;
char glyph(State state) noexcept;  // . r F o e a c D

struct Cell {
    std::string episode, language;
    State state = State::Waiting;
    std::string who;    // in-review: the last person to edit or reject it; approved and on: who approved it
    std::string why;    // failed: the error; approved: what keeps it from cleared
    bool late = false, blocked = false;
    std::vector<std::string> profiles;  // delivered to (this approval), by name
    std::string linguist, reviewer, due;  // of the assignment that covers it (the newest), if any
    std::int64_t assignment = 0;          // its id; 0: none
};

struct Board {
    std::string series, title;
    std::vector<std::string> languages, episodes;  // series order
    std::vector<Cell> cells;                       // episode by episode, each in `languages` order
    std::map<std::string, int> counts;             // state -> versions
    int late = 0, blocked = 0;
    double approvals_per_day = 0;  // first approvals over the last 7 days, per day
    int remaining = 0;             // versions not cleared or delivered yet
    std::string finish;            // estimated finish date (YYYY-MM-DD) at that pace; empty when there is none
    const Cell& at(std::size_t episode, std::size_t language) const { return cells[episode * languages.size() + language]; }
};

struct BoardInputs {
    std::string series_id;                        // as the job store names it
    std::vector<jobs::JobStatus> jobs;            // jobs::latest_plan_jobs
    std::vector<delivery::DeliveryRecord> deliveries;
    std::vector<Assignment> assignments;
    std::int64_t now_ms = 0;
    // The episode's manifest (a cache may serve it); null when there is none. Default: read it.
    std::function<std::shared_ptr<const pipeline::Manifest>(const std::filesystem::path& folder)> manifest;
    // The series' episodes, reviews and edit history as a caller keeps them (the review station's
    // caches); null: the project's episodes, and the logs read from its outputs.
    const std::vector<std::filesystem::path>* episodes = nullptr;
    const std::vector<series::Review>* reviews = nullptr;
    const std::vector<series::LineEdit>* history = nullptr;
};

// Throws InputError when a file of the outputs is damaged (naming it).
Board make_board(const series::SeriesProject& project, const BoardInputs& inputs);

// Which versions a view shows: all, or those of a person (as linguist or reviewer), late ones,
// blocked ones, one language (each filter narrows).
struct BoardFilter {
    std::string person, language;
    bool late = false, blocked = false;
    bool matches(const Cell& cell) const;
};

// The matrix for a terminal: episodes down, languages across, a glyph per version (and '!'
// late, '#' blocked), a legend and the series' figures; rows with no version the filter
// shows are left out. 100 episodes × 6 languages fit in 40 columns.
std::string board_text(const Board& board, const BoardFilter& filter);

nlohmann::json cell_json(const Cell& cell);
nlohmann::json assignment_json(const Assignment& a);
// The board as JSON: series, languages, figures, and the versions the filter shows.
nlohmann::json board_json(const Board& board, const BoardFilter& filter);

// YYYY-MM-DD (UTC) of a time in ms since the epoch.
std::string utc_date(std::int64_t ms);

}  // namespace dramaloc::board
