#include "board/assignments.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/error.hpp"
#include "core/time.hpp"
#include "series/project.hpp"
#include "store/database.hpp"
#include "store/postgres_session.hpp"
#include "store/sqlite_statement.hpp"

namespace dramaloc::board {
namespace {

std::string joined(const std::vector<std::string>& list) {
    std::string out;
    for (const auto& item : list) out += (out.empty() ? "" : ",") + item;
    return out;
}

constexpr const char* kPeople = "CREATE TABLE IF NOT EXISTS dramaloc_people (name TEXT PRIMARY KEY, languages TEXT NOT NULL)";
// Columns after the id, in the order rows are selected and written ($1/?1 … $8/?8).
constexpr const char* kColumns = "series, language, first_episode, last_episode, linguist, reviewer, due, updated_ms";

class SqliteAssignments final : public AssignmentStore {
public:
    explicit SqliteAssignments(const std::string& file) : file_(file), db_(store::open_sqlite(file, false, "assignment store")) {
        store::sqlite_exec(db_, "PRAGMA journal_mode = WAL", what());
        store::sqlite_exec(db_, kPeople, what());
        store::sqlite_exec(db_,
                           "CREATE TABLE IF NOT EXISTS dramaloc_assignments (id INTEGER PRIMARY KEY AUTOINCREMENT, series TEXT NOT NULL, "
                           "language TEXT NOT NULL, first_episode TEXT NOT NULL, last_episode TEXT NOT NULL, linguist TEXT NOT NULL, "
                           "reviewer TEXT NOT NULL, due TEXT NOT NULL, updated_ms INTEGER NOT NULL)",
                           what());
    }
    ~SqliteAssignments() override { sqlite3_close(db_); }

    void put_person(const Person& p) override {
        store::SqliteStatement(db_, "INSERT INTO dramaloc_people (name, languages) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET languages = excluded.languages",
                               what())
            .bind(1, p.name).bind(2, joined(p.languages)).step();
    }
    bool remove_person(const std::string& name) override {
        store::SqliteStatement(db_, "DELETE FROM dramaloc_people WHERE name = ?1", what()).bind(1, name).step();
        return sqlite3_changes(db_) > 0;
    }
    std::vector<Person> people() override {
        std::vector<Person> out;
        store::SqliteStatement s(db_, "SELECT name, languages FROM dramaloc_people ORDER BY name", what());
        while (s.step()) out.push_back({s.text(0), split_list(s.text(1))});
        return out;
    }
    Assignment add(Assignment a) override {
        a.updated_ms = wall_clock_ms();
        bind(store::SqliteStatement(db_, std::string("INSERT INTO dramaloc_assignments (") + kColumns + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                    what()),
             a)
            .step();
        a.id = sqlite3_last_insert_rowid(db_);
        return a;
    }
    bool update(Assignment a) override {
        a.updated_ms = wall_clock_ms();
        bind(store::SqliteStatement(db_,
                                    "UPDATE dramaloc_assignments SET series = ?1, language = ?2, first_episode = ?3, last_episode = ?4, "
                                    "linguist = ?5, reviewer = ?6, due = ?7, updated_ms = ?8 WHERE id = ?9",
                                    what()),
             a)
            .bind(9, a.id)
            .step();
        return sqlite3_changes(db_) > 0;
    }
    bool remove(std::int64_t id) override {
        store::SqliteStatement(db_, "DELETE FROM dramaloc_assignments WHERE id = ?1", what()).bind(1, id).step();
        return sqlite3_changes(db_) > 0;
    }
    std::optional<Assignment> find(std::int64_t id) override {
        store::SqliteStatement s(db_, std::string("SELECT id, ") + kColumns + " FROM dramaloc_assignments WHERE id = ?1", what());
        if (!s.bind(1, id).step()) return std::nullopt;
        return row(s);
    }
    std::vector<Assignment> list(const std::string& series) override {
        std::vector<Assignment> out;
        store::SqliteStatement s(db_, std::string("SELECT id, ") + kColumns + " FROM dramaloc_assignments WHERE ?1 = '' OR series = ?1 ORDER BY id",
                                 what());
        for (s.bind(1, series); s.step();) out.push_back(row(s));
        return out;
    }
    std::string describe() const override { return "sqlite:" + file_; }

private:
    std::string what() const { return "assignment store " + file_; }
    static store::SqliteStatement& bind(store::SqliteStatement&& s, const Assignment& a) { return bind(s, a); }
    static store::SqliteStatement& bind(store::SqliteStatement& s, const Assignment& a) {
        return s.bind(1, a.series).bind(2, a.language).bind(3, a.first_episode).bind(4, a.last_episode).bind(5, a.linguist)
            .bind(6, a.reviewer).bind(7, a.due).bind(8, a.updated_ms);
    }
    static Assignment row(const store::SqliteStatement& s) {
        return {s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.text(7), s.integer(8)};
    }
    std::string file_;
    sqlite3* db_;
};

class PostgresAssignments final : public AssignmentStore {
public:
    explicit PostgresAssignments(const std::string& url) : db_(url, "assignment store") {
        db_.run([&](pqxx::work& w) {
            // DDL only when a table is missing, under the job store's schema lock.
            if (w.exec("SELECT to_regclass('dramaloc_assignments') IS NULL OR to_regclass('dramaloc_people') IS NULL")[0][0].as<bool>()) {
                w.exec("SELECT pg_advisory_xact_lock(7243051)");
                w.exec(kPeople);
                w.exec("CREATE TABLE IF NOT EXISTS dramaloc_assignments (id BIGSERIAL PRIMARY KEY, series TEXT NOT NULL, "
                       "language TEXT NOT NULL, first_episode TEXT NOT NULL, last_episode TEXT NOT NULL, linguist TEXT NOT NULL, "
                       "reviewer TEXT NOT NULL, due TEXT NOT NULL, updated_ms BIGINT NOT NULL)");
            }
            return 0;
        });
    }

    void put_person(const Person& p) override {
        db_.run([&](pqxx::work& w) {
            w.exec_params("INSERT INTO dramaloc_people (name, languages) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET languages = excluded.languages",
                          p.name, joined(p.languages));
            return 0;
        });
    }
    bool remove_person(const std::string& name) override {
        return db_.run([&](pqxx::work& w) { return w.exec_params("DELETE FROM dramaloc_people WHERE name = $1", name).affected_rows() > 0; });
    }
    std::vector<Person> people() override {
        return db_.run([&](pqxx::work& w) {
            std::vector<Person> out;
            for (const auto& r : w.exec("SELECT name, languages FROM dramaloc_people ORDER BY name"))
                out.push_back({r[0].as<std::string>(), split_list(r[1].as<std::string>())});
            return out;
        });
    }
    Assignment add(Assignment a) override {
        a.updated_ms = wall_clock_ms();
        a.id = db_.run([&](pqxx::work& w) {
            return w
                .exec_params(std::string("INSERT INTO dramaloc_assignments (") + kColumns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                             a.series, a.language, a.first_episode, a.last_episode, a.linguist, a.reviewer, a.due, a.updated_ms)[0][0]
                .as<std::int64_t>();
        });
        return a;
    }
    bool update(Assignment a) override {
        a.updated_ms = wall_clock_ms();
        return db_.run([&](pqxx::work& w) {
            return w.exec_params("UPDATE dramaloc_assignments SET series = $1, language = $2, first_episode = $3, last_episode = $4, "
                                 "linguist = $5, reviewer = $6, due = $7, updated_ms = $8 WHERE id = $9",
                                 a.series, a.language, a.first_episode, a.last_episode, a.linguist, a.reviewer, a.due, a.updated_ms, a.id)
                       .affected_rows() > 0;
        });
    }
    bool remove(std::int64_t id) override {
        return db_.run([&](pqxx::work& w) { return w.exec_params("DELETE FROM dramaloc_assignments WHERE id = $1", id).affected_rows() > 0; });
    }
    std::optional<Assignment> find(std::int64_t id) override {
        return db_.run([&](pqxx::work& w) -> std::optional<Assignment> {
            const auto rows = w.exec_params(std::string("SELECT id, ") + kColumns + " FROM dramaloc_assignments WHERE id = $1", id);
            if (rows.empty()) return std::nullopt;
            return row(rows[0]);
        });
    }
    std::vector<Assignment> list(const std::string& series) override {
        return db_.run([&](pqxx::work& w) {
            std::vector<Assignment> out;
            for (const auto& r :
                 w.exec_params(std::string("SELECT id, ") + kColumns + " FROM dramaloc_assignments WHERE $1 = '' OR series = $1 ORDER BY id", series))
                out.push_back(row(r));
            return out;
        });
    }
    std::string describe() const override { return db_.shown(); }

private:
    static Assignment row(const pqxx::row& r) {
        return {r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>(),
                r[5].as<std::string>(),  r[6].as<std::string>(), r[7].as<std::string>(), r[8].as<std::int64_t>()};
    }
    mutable store::PostgresSession db_;
};

bool is_date(const std::string& d) {
    int y = 0, m = 0, day = 0;
    char rest = 0;
    if (d.size() != 10 || std::sscanf(d.c_str(), "%4d-%2d-%2d%c", &y, &m, &day, &rest) != 3) return false;
    if (d[4] != '-' || d[7] != '-' || m < 1 || m > 12 || day < 1) return false;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    return ymd.ok();
}

}  // namespace

bool Assignment::covers(const std::string& episode) const {
    return !series::natural_less(episode, first_episode) && !series::natural_less(last_episode, episode);
}

std::unique_ptr<AssignmentStore> open_assignment_store(const std::string& url) {
    const auto where = store::store_location(url);
    if (where.postgres) return std::make_unique<PostgresAssignments>(url);
    return std::make_unique<SqliteAssignments>(where.sqlite_file);
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= text.size()) {
        const std::size_t comma = std::min(text.find(',', from), text.size());
        std::string part = text.substr(from, comma - from);
        part.erase(0, part.find_first_not_of(" \t"));
        part.erase(part.find_last_not_of(" \t") + 1);
        if (!part.empty()) out.push_back(part);
        from = comma + 1;
    }
    return out;
}

std::pair<std::string, std::string> episode_range(const std::string& text) {
    const auto dots = text.find("..");
    std::pair<std::string, std::string> range =
        dots == std::string::npos ? std::pair{text, text} : std::pair{text.substr(0, dots), text.substr(dots + 2)};
    if (range.first.empty() || range.second.empty())
        throw UsageError("episodes \"" + text + "\": give one episode (ep05) or a range (ep01..ep20)");
    return range;
}

void check_assignment(const Assignment& a, const std::vector<Person>& people, const std::vector<std::string>& languages,
                      const std::vector<std::string>& episodes) {
    if (std::find(languages.begin(), languages.end(), a.language) == languages.end())
        throw UsageError("the series has no language \"" + a.language + "\" (its languages: " + joined(languages) + ")");
    for (const auto* end : {&a.first_episode, &a.last_episode})
        if (std::find(episodes.begin(), episodes.end(), *end) == episodes.end())
            throw UsageError("the series has no episode \"" + *end + "\"" +
                             (episodes.empty() ? "" : " (its episodes run " + episodes.front() + ".." + episodes.back() + ")"));
    if (series::natural_less(a.last_episode, a.first_episode))
        throw UsageError("episodes " + a.first_episode + ".." + a.last_episode + " run backwards: give the first one first");
    const auto person = [&](const std::string& name) {
        const auto it = std::find_if(people.begin(), people.end(), [&](const Person& p) { return p.name == name; });
        if (it == people.end()) throw UsageError("no person \"" + name + "\": add them first (dramaloc people add \"" + name + "\" --lang LANGS)");
        return *it;
    };
    if (a.linguist.empty()) throw UsageError("an assignment needs a linguist");
    const Person linguist = person(a.linguist);
    if (std::find(linguist.languages.begin(), linguist.languages.end(), a.language) == linguist.languages.end())
        throw UsageError(a.linguist + " does not work in " + a.language + " (their languages: " + joined(linguist.languages) +
                         "); add it with dramaloc people add \"" + a.linguist + "\" --lang " + joined(linguist.languages) +
                         (linguist.languages.empty() ? "" : ",") + a.language);
    if (!a.reviewer.empty()) person(a.reviewer);
    if (!a.due.empty() && !is_date(a.due)) throw UsageError("due date \"" + a.due + "\": give it as YYYY-MM-DD");
}

}  // namespace dramaloc::board
