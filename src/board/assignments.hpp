#pragma once
// The people of a production and who does what: each person with the languages they work in;
// each assignment an episode range of a series in one language, given to a linguist (who
// edits and approves it) and a reviewer (who clears its content review), due by a date. Kept
// in the series' database beside its jobs (the tables dramaloc_people and
// dramaloc_assignments, SQLite or PostgreSQL; store/database.hpp). A person's name is the
// name their review station token was made for (dramaloc token create --name), so the page
// knows whose assignments are "mine".
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dramaloc::board {

struct Person {
    std::string name;
    std::vector<std::string> languages;  // the languages they work in (BCP-47, as the series names them)
};

struct Assignment {
    std::int64_t id = 0;  // given by the store
    std::string series;   // as the job store names it (jobs::series_identity)
    std::string language;
    std::string first_episode, last_episode;  // the range, both ends in it (natural order: ep2 before ep10)
    std::string linguist, reviewer;            // people's names; the reviewer may be empty
    std::string due;                           // YYYY-MM-DD (UTC), or empty: no date
    std::int64_t updated_ms = 0;               // when it was made or last changed (ms since the epoch)

    // Whether `episode` falls in the range.
    bool covers(const std::string& episode) const;
};

class AssignmentStore {
public:
    virtual ~AssignmentStore() = default;
    // Adds or replaces the person of that name.
    virtual void put_person(const Person& person) = 0;
    // Whether there was one.
    virtual bool remove_person(const std::string& name) = 0;
    // Everyone, by name.
    virtual std::vector<Person> people() = 0;
    // Adds one (its id and updated_ms are set here); returns it as stored.
    virtual Assignment add(Assignment assignment) = 0;
    // Replaces the one of `assignment.id`; false when there is none.
    virtual bool update(Assignment assignment) = 0;
    virtual bool remove(std::int64_t id) = 0;
    virtual std::optional<Assignment> find(std::int64_t id) = 0;
    // The assignments of `series` (empty: of every series), oldest first.
    virtual std::vector<Assignment> list(const std::string& series) = 0;
    virtual std::string describe() const = 0;
};

// A store URL as the job store takes it. Makes the tables when they are missing. Throws
// ConfigError for a URL it cannot use, EngineError when the server cannot be reached, IoError
// when the file cannot be opened.
std::unique_ptr<AssignmentStore> open_assignment_store(const std::string& url);

// Checks an assignment against the people and the series before it is stored: UsageError
// saying what to do for a linguist or reviewer who is not among `people`, a linguist who does
// not work in the language, a language the series does not have (`languages`), an episode
// it does not have (`episodes`, in series order), a range that runs backwards, or a due date
// that is not YYYY-MM-DD.
void check_assignment(const Assignment& a, const std::vector<Person>& people, const std::vector<std::string>& languages,
                      const std::vector<std::string>& episodes);

// "ep01..ep20" or "ep05" as a range. UsageError for an empty end.
std::pair<std::string, std::string> episode_range(const std::string& text);

// "es,fr" as a list (spaces trimmed, empty parts dropped).
std::vector<std::string> split_list(const std::string& text);

}  // namespace dramaloc::board
