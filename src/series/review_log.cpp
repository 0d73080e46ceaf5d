#include "series/review_log.hpp"

#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"

namespace dramaloc::series {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path reviews_file(const fs::path& out_dir) { return out_dir / "reviews.json"; }

json to_json(const Review& r) {
    json revisions = json::object();
    for (const auto& [line, revision] : r.revisions) revisions[std::to_string(line)] = revision;
    return {{"episode", r.episode}, {"language", r.language}, {"decision", r.decision}, {"comment", r.comment},
            {"who", r.who},         {"when", r.when},         {"revisions", revisions}};
}

Review from_json(const json& j) {
    Review r;
    r.episode = j.at("episode").get<std::string>();
    r.language = j.at("language").get<std::string>();
    r.decision = j.at("decision").get<std::string>();
    r.comment = j.value("comment", "");
    r.who = j.value("who", "");
    r.when = j.value("when", "");
    for (const auto& [line, revision] : j.at("revisions").items()) r.revisions[std::stoi(line)] = revision.get<int>();
    return r;
}

}  // namespace

std::vector<Review> read_reviews(const fs::path& out_dir) {
    const fs::path file = reviews_file(out_dir);
    if (!fs::exists(file)) return {};
    try {
        std::vector<Review> out;
        const json log = json::parse(read_text_file(file));  // kept: a range-for over a temporary's member dangles
        for (const auto& j : log.at("reviews")) out.push_back(from_json(j));
        return out;
    } catch (const std::exception& e) {
        throw InputError(file.string() + " is not a review log dramaloc wrote (" + e.what() + "); restore it from a backup or remove it");
    }
}

bool review_stands(const Review& review, const std::vector<LineEdit>& history) {
    for (const auto& [line, revision] : review.revisions)
        if (line_revision(history, review.episode, review.language, line) != revision) return false;
    return true;
}

ReviewOutcome record_review(const fs::path& out_dir, const Review& review) {
    ReviewOutcome outcome;
    EditLog(out_dir).locked([&](const std::vector<LineEdit>& history) {
        for (const auto& [line, revision] : review.revisions) {
            const int now = line_revision(history, review.episode, review.language, line);
            if (now != revision) {
                outcome.line = line;
                outcome.revision = now;
                return;
            }
        }
        json list = json::array();
        for (const auto& r : read_reviews(out_dir)) list.push_back(to_json(r));
        list.push_back(to_json(review));
        write_file_atomically(reviews_file(out_dir), json{{"reviews", list}}.dump(1) + "\n");
        outcome.recorded = true;
    });
    return outcome;
}

std::optional<Review> latest_review(const std::vector<Review>& reviews, const std::string& episode, const std::string& language) {
    for (auto it = reviews.rbegin(); it != reviews.rend(); ++it)
        if (it->episode == episode && it->language == language) return *it;
    return std::nullopt;
}

}  // namespace dramaloc::series
