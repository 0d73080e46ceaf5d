#pragma once
// People's decisions on an episode × language (dramaloc serve): approved or rejected, with a
// comment, naming the revision of every line that was looked at. Kept with the series'
// outputs in OUT/reviews.json, appended to under the edit log's lock and never rewritten. An
// approval stands while no line has been edited since: a later edit withdraws it.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "series/edit_log.hpp"

namespace dramaloc::series {

struct Review {
    std::string episode, language;
    std::string decision;          // "approved" or "rejected"
    std::string comment, who, when;
    std::map<int, int> revisions;  // line id -> the revision reviewed
};

// Every review so far, oldest first. InputError naming the file when it is not one dramaloc wrote.
std::vector<Review> read_reviews(const std::filesystem::path& out_dir);

struct ReviewOutcome {
    bool recorded = false;
    int line = 0;      // when not recorded: a line edited since the revision reviewed,
    int revision = 0;  // and its revision now
};

// Records `review` unless a line has moved on from the revision it names (checked against the
// edit history under the edit log's lock). Throws IoError.
ReviewOutcome record_review(const std::filesystem::path& out_dir, const Review& review);

// Whether `review` still stands: every line it names is at the revision reviewed.
bool review_stands(const Review& review, const std::vector<LineEdit>& history);

// The latest review of an episode × language, if any.
std::optional<Review> latest_review(const std::vector<Review>& reviews, const std::string& episode, const std::string& language);

}  // namespace dramaloc::series
