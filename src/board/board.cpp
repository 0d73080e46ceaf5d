#include "board/board.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <fstream>
#include <set>

#include "core/error.hpp"
#include "core/time.hpp"
#include "policy/content_review.hpp"
#include "series/edit_log.hpp"
#include "series/project.hpp"
#include "series/review_log.hpp"

namespace dramaloc::board {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// "2026-12-07T05:48:17Z" as ms since the epoch; -1 when it is not one.
std::int64_t parse_utc(const std::string& when) {
    std::tm tm{};
    const char* end = ::strptime(when.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (!end) return -1;
    return static_cast<std::int64_t>(::timegm(&tm)) * 1000;
}

// What the edit history says of one episode × language: each line's revision, and the last edit.
struct Edits {
    std::map<int, int> revisions;
    std::string last_who, last_when;
};

}  // namespace

const char* to_string(State state) noexcept {
    switch (state) {
        case State::Waiting: return "waiting";
        case State::Rendering: return "rendering";
        case State::Failed: return "failed";
        case State::ToReview: return "to-review";
        case State::InReview: return "in-review";
        case State::Approved: return "approved";
        case State::Cleared: return "cleared";
        case State::Delivered: return "delivered";
    }
    return "?";
}

char glyph(State state) noexcept {
    static constexpr char kGlyphs[] = ".rFoeacD";
    return kGlyphs[static_cast<int>(state)];
}

std::string utc_date(std::int64_t ms) { return utc_time(ms).substr(0, 10); }

Board make_board(const series::SeriesProject& project, const BoardInputs& in) {
    Board b;
    b.series = in.series_id;
    b.title = project.options.languages.series ? project.options.languages.series->title : "";
    if (b.title.empty()) b.title = project.file.stem().string();
    b.languages = project.options.languages.targets;
    for (const auto& e : in.episodes ? *in.episodes : project.episodes) b.episodes.push_back(e.stem().string());
    const fs::path& out = project.options.run.out_dir;

    // The series' logs, each read once.
    const std::vector<series::Review> read_reviews = in.reviews ? std::vector<series::Review>{} : series::read_reviews(out);
    const std::vector<series::LineEdit> read_history = in.history ? std::vector<series::LineEdit>{} : series::EditLog(out).history();
    const auto& reviews = in.reviews ? *in.reviews : read_reviews;
    std::map<std::pair<std::string, std::string>, Edits> edits;
    for (const auto& e : in.history ? *in.history : read_history) {
        auto& x = edits[{e.episode, e.language}];
        ++x.revisions[e.line];
        x.last_who = e.who;
        x.last_when = e.when;
    }
    std::set<std::string> resolved;
    for (const auto& r : policy::read_resolutions(out)) resolved.insert(r.finding);
    std::map<std::pair<std::string, std::string>, const series::Review*> latest;  // reviews are oldest first
    std::map<std::pair<std::string, std::string>, std::int64_t> first_approval;
    for (const auto& r : reviews) {
        latest[{r.episode, r.language}] = &r;
        if (r.decision == "approved") first_approval.try_emplace({r.episode, r.language}, parse_utc(r.when));
    }
    std::map<std::pair<std::string, std::string>, std::vector<const jobs::JobStatus*>> jobs_of;
    for (const auto& j : in.jobs) jobs_of[{j.episode, j.language}].push_back(&j);
    const std::string today = utc_date(in.now_ms);

    b.cells.reserve(b.episodes.size() * b.languages.size());
    for (const auto& episode : b.episodes) {
        const fs::path folder = out / episode;
        const auto manifest = in.manifest ? in.manifest(folder) : [&]() -> std::shared_ptr<const pipeline::Manifest> {
            auto m = pipeline::read_manifest(folder);
            return m ? std::make_shared<const pipeline::Manifest>(std::move(*m)) : nullptr;
        }();
        const auto blocks = manifest ? policy::report_unresolved_blocks(out, episode, resolved) : std::map<std::string, int>{};
        for (const auto& language : b.languages) {
            Cell c;
            c.episode = episode;
            c.language = language;
            for (const auto& a : in.assignments)  // the newest that covers it
                if (a.language == language && a.covers(episode) && a.id > c.assignment) {
                    c.assignment = a.id;
                    c.linguist = a.linguist;
                    c.reviewer = a.reviewer;
                    c.due = a.due;
                }
            // The jobs of the latest plan for it: the episode's own (no language) and the language's.
            const jobs::JobStatus* running = nullptr;
            const jobs::JobStatus* failed = nullptr;
            for (const std::string& l : {std::string(), language})
                if (const auto it = jobs_of.find({episode, l}); it != jobs_of.end())
                    for (const auto* j : it->second) {
                        if (j->state == jobs::JobState::Failed || (j->state == jobs::JobState::Pending && j->blocked)) failed = failed ? failed : j;
                        else if (j->state == jobs::JobState::Pending || j->state == jobs::JobState::Running) running = running ? running : j;
                    }
            const auto script = manifest ? manifest->scripts.find(language) : decltype(manifest->scripts.end()){};
            const bool published = manifest && script != manifest->scripts.end();
            const auto edit_it = edits.find({episode, language});
            const Edits none;
            const Edits& e = edit_it == edits.end() ? none : edit_it->second;
            const auto review_it = latest.find({episode, language});
            const series::Review* review = review_it == latest.end() ? nullptr : review_it->second;
            int stale = 0;
            if (published)
                for (const auto& line : script->second.lines) {
                    const auto r = e.revisions.find(line.id);
                    stale += (r == e.revisions.end() ? 0 : r->second) != line.revision;
                }
            const bool stands = review && std::all_of(review->revisions.begin(), review->revisions.end(), [&](const auto& lr) {
                const auto r = e.revisions.find(lr.first);
                return (r == e.revisions.end() ? 0 : r->second) == lr.second;
            });
            const int block = published ? [&] { const auto it = blocks.find(language); return it == blocks.end() ? 0 : it->second; }() : 0;

            if (failed) {
                c.state = State::Failed;
                c.why = failed->error.empty() ? "waits behind a job that failed" : failed->error;
            } else if (manifest && manifest->failed_languages.count(language)) {
                c.state = State::Failed;
                c.why = manifest->failed_languages.at(language);
            } else if (running && !(review && review->decision == "approved" && stands)) {
                c.state = State::Rendering;
                c.who = running->state == jobs::JobState::Running ? running->worker : "";
            } else if (!published) {
                c.state = running ? State::Rendering : State::Waiting;
            } else if (!review) {
                c.state = stale > 0 || !e.last_who.empty() ? State::InReview : State::ToReview;
                c.who = e.last_who;
            } else if (review->decision != "approved" || !stands) {
                c.state = State::InReview;
                // Whoever touched it last: the rejection or an edit after it.
                c.who = !e.last_when.empty() && e.last_when >= review->when ? e.last_who : review->who;
            } else {
                c.who = review->who;
                if (stale > 0 || block > 0) {
                    c.state = State::Approved;
                    c.why = stale > 0 ? std::to_string(stale) + " edited line(s) not rendered yet"
                                      : std::to_string(block) + " unresolved block finding(s) of the content review";
                } else {
                    c.state = State::Cleared;
                    for (const auto& d : in.deliveries)
                        if (d.episode == episode && d.language == language && d.approved_at == review->when && d.approved_by == review->who &&
                            std::find(c.profiles.begin(), c.profiles.end(), d.profile) == c.profiles.end())
                            c.profiles.push_back(d.profile);
                    if (!c.profiles.empty()) c.state = State::Delivered;
                }
            }
            c.blocked = c.state == State::Failed || block > 0;
            c.late = !c.due.empty() && today > c.due && c.state < State::Cleared;
            b.cells.push_back(std::move(c));
        }
    }
    for (const auto& c : b.cells) {
        ++b.counts[to_string(c.state)];
        b.late += c.late;
        b.blocked += c.blocked;
        b.remaining += c.state < State::Cleared;
    }
    // The pace: versions first approved in the last 7 days, per day.
    int recent = 0;
    for (const auto& [version, when] : first_approval) recent += when >= 0 && when > in.now_ms - 7 * kDayMs && when <= in.now_ms;
    b.approvals_per_day = recent / 7.0;
    if (b.remaining == 0) b.finish = today;
    else if (b.approvals_per_day > 0)
        b.finish = utc_date(in.now_ms + static_cast<std::int64_t>(std::ceil(b.remaining / b.approvals_per_day)) * kDayMs);
    return b;
}

bool BoardFilter::matches(const Cell& c) const {
    if (!person.empty() && c.linguist != person && c.reviewer != person) return false;
    if (!language.empty() && c.language != language) return false;
    if (late && !c.late) return false;
    if (blocked && !c.blocked) return false;
    return true;
}

std::string board_text(const Board& b, const BoardFilter& filter) {
    std::size_t width = 7;  // "episode"
    for (const auto& e : b.episodes) width = std::max(width, e.size());
    const auto pad = [](std::string s, std::size_t n) { return s.size() < n ? s + std::string(n - s.size(), ' ') : s; };
    std::string out = b.title + " (" + b.series + ")\n";
    std::string header = pad("episode", width);
    for (const auto& l : b.languages) header += " " + pad(l.substr(0, 3), 3);
    header.erase(header.find_last_not_of(' ') + 1);
    out += header + "\n";
    int shown = 0;
    for (std::size_t e = 0; e < b.episodes.size(); ++e) {
        std::string row = pad(b.episodes[e], width);
        bool any = false;
        for (std::size_t l = 0; l < b.languages.size(); ++l) {
            const Cell& c = b.at(e, l);
            const bool show = filter.matches(c);
            any = any || show;
            row += " ";
            row += show ? glyph(c.state) : ' ';
            row += show && c.late ? '!' : show && c.blocked ? '#' : ' ';
            row += ' ';
        }
        if (!any) continue;
        row.erase(row.find_last_not_of(' ') + 1);
        out += row + "\n";
        ++shown;
    }
    if (shown == 0) out += "(no version matches)\n";
    out += "\n. waiting  r rendering  F failed  o to review  e in review  a approved  c cleared  D delivered;  ! late  # blocked\n";
    out += std::to_string(b.cells.size()) + " versions:";
    for (int s = 0; s <= static_cast<int>(State::Delivered); ++s)
        if (const auto it = b.counts.find(to_string(static_cast<State>(s))); it != b.counts.end())
            out += " " + std::to_string(it->second) + " " + it->first + ";";
    out += " " + std::to_string(b.late) + " late; " + std::to_string(b.blocked) + " blocked\n";
    char pace[64];
    std::snprintf(pace, sizeof pace, "%.1f", b.approvals_per_day);
    out += std::to_string(b.remaining) + " to go at " + pace + " approvals a day (last 7 days): " +
           (b.remaining == 0 ? std::string("done") : b.finish.empty() ? std::string("no finish in sight yet") : "finish about " + b.finish) + "\n";
    return out;
}

json cell_json(const Cell& c) {
    json j = {{"episode", c.episode}, {"language", c.language}, {"state", to_string(c.state)}, {"late", c.late}, {"blocked", c.blocked}};
    if (!c.who.empty()) j["who"] = c.who;
    if (!c.why.empty()) j["why"] = c.why;
    if (!c.profiles.empty()) j["delivered_to"] = c.profiles;
    if (c.assignment) j["assignment"] = {{"id", c.assignment}, {"linguist", c.linguist}, {"reviewer", c.reviewer}, {"due", c.due}};
    return j;
}

json assignment_json(const Assignment& a) {
    return {{"id", a.id},           {"language", a.language}, {"first_episode", a.first_episode}, {"last_episode", a.last_episode},
            {"linguist", a.linguist}, {"reviewer", a.reviewer}, {"due", a.due.empty() ? json(nullptr) : json(a.due)},
            {"updated_at", utc_time(a.updated_ms)}};
}

json board_json(const Board& b, const BoardFilter& filter) {
    json cells = json::array();
    for (const auto& c : b.cells)
        if (filter.matches(c)) cells.push_back(cell_json(c));
    return {{"series", b.series},
            {"title", b.title},
            {"languages", b.languages},
            {"episodes", b.episodes},
            {"counts", b.counts},
            {"late", b.late},
            {"blocked", b.blocked},
            {"remaining", b.remaining},
            {"approvals_per_day", std::round(b.approvals_per_day * 100) / 100},
            {"finish", b.finish.empty() ? json(nullptr) : json(b.finish)},
            {"versions", cells}};
}

}  // namespace dramaloc::board
