// The production board (docs/board.md):
//   dramaloc people add|remove|list SERIES.toml [NAME] [--lang es,fr]   who works in which languages
//   dramaloc assign SERIES.toml -e ep01..ep20 --lang es --linguist NAME [--reviewer NAME] [--due DATE]
//   dramaloc assign SERIES.toml --change ID [...] | --remove ID
//   dramaloc assignments SERIES.toml [--json]
//   dramaloc board SERIES.toml [--json] [--mine NAME] [--late] [--blocked] [--lang L]
#include <iostream>

#include <nlohmann/json.hpp>

#include "board/assignments.hpp"
#include "board/board.hpp"
#include "cli/commands.hpp"
#include "cli/factory_args.hpp"
#include "core/time.hpp"
#include "delivery/delivery_log.hpp"
#include "jobs/factory.hpp"
#include "series/project.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The series and the store its people, assignments, jobs and deliveries live in (--db, else
// OUT/.dramaloc-jobs.db, made when missing).
struct Production {
    series::SeriesProject project;
    std::string series_id, url;
    std::unique_ptr<jobs::JobStore> jobs;
    std::unique_ptr<board::AssignmentStore> assignments;

    Production(const std::string& series_file, const std::string& db)
        : project(series::load_series_project(series_file)), series_id(jobs::series_identity(series_file)) {
        jobs = open_store(db, series_file, project.options.run.out_dir.string(), true);
        url = db.empty() ? jobs::default_store_url(project.options.run.out_dir) : db;
        assignments = board::open_assignment_store(url);
    }
    std::vector<std::string> episodes() const {
        std::vector<std::string> out;
        for (const auto& e : project.episodes) out.push_back(e.stem().string());
        return out;
    }
    board::Board make() {
        board::BoardInputs in;
        in.series_id = series_id;
        in.jobs = jobs::latest_plan_jobs(*jobs, series_id);
        in.deliveries = delivery::open_delivery_log(url)->list(series_id);
        in.assignments = assignments->list(series_id);
        in.now_ms = wall_clock_ms();
        return board::make_board(project, in);
    }
};

std::string describe(const board::Assignment& a) {
    return "#" + std::to_string(a.id) + " " + a.first_episode + (a.last_episode == a.first_episode ? "" : ".." + a.last_episode) + " " +
           a.language + ": " + a.linguist + (a.reviewer.empty() ? "" : ", reviewed by " + a.reviewer) + (a.due.empty() ? "" : ", due " + a.due);
}

void register_people_commands(CLI::App& app) {
    auto* people = app.add_subcommand("people", "The people of a production and the languages they work in");
    people->require_subcommand(1);
    struct Args {
        std::string series, db, name, languages;
        bool json = false;
    };
    auto a = std::make_shared<Args>();
    auto* add = people->add_subcommand("add", "Add a person (or change their languages); their name is the one their token was made for");
    add->add_option("series", a->series, "series file")->required();
    add->add_option("name", a->name, "their name")->required();
    add->add_option("--lang", a->languages, "the languages they work in, comma-separated (es,fr)")->required();
    auto* remove = people->add_subcommand("remove", "Remove a person (their assignments stay until changed)");
    remove->add_option("series", a->series, "series file")->required();
    remove->add_option("name", a->name, "their name")->required();
    auto* list = people->add_subcommand("list", "Everyone, with their languages");
    list->add_option("series", a->series, "series file")->required();
    list->add_flag("--json", a->json, "JSON on stdout");
    for (auto* cmd : {add, remove, list}) cmd->add_option("--db", a->db, "the series' store (default OUT/.dramaloc-jobs.db)");
    add->callback([a] {
        Production p(a->series, a->db);
        const auto languages = board::split_list(a->languages);
        if (languages.empty()) throw UsageError("--lang: give the languages " + a->name + " works in (es,fr)");
        p.assignments->put_person({a->name, languages});
        std::cout << a->name << ": " << a->languages << "\n";
    });
    remove->callback([a] {
        Production p(a->series, a->db);
        if (!p.assignments->remove_person(a->name)) throw UsageError("no person \"" + a->name + "\" (dramaloc people list " + a->series + ")");
        std::cout << a->name << " removed\n";
    });
    list->callback([a] {
        Production p(a->series, a->db);
        json out = json::array();
        for (const auto& person : p.assignments->people()) {
            if (a->json) out.push_back({{"name", person.name}, {"languages", person.languages}});
            else {
                std::string langs;
                for (const auto& l : person.languages) langs += (langs.empty() ? "" : ",") + l;
                std::cout << person.name << ": " << langs << "\n";
            }
        }
        if (a->json) std::cout << json{{"people", out}}.dump(2) << "\n";
    });
}

void register_assign_commands(CLI::App& app) {
    struct Args {
        std::string series, db, episodes, language, linguist, reviewer, due;
        std::int64_t change = 0, remove = 0;
        bool json = false;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("assign", "Give an episode range in one language to a linguist (and a reviewer), due by a date");
    cmd->add_option("series", a->series, "series file")->required();
    cmd->add_option("-e,--episodes", a->episodes, "one episode (ep05) or a range (ep01..ep20)");
    cmd->add_option("--lang", a->language, "the language");
    cmd->add_option("--linguist", a->linguist, "who edits and approves it (dramaloc people add)");
    cmd->add_option("--reviewer", a->reviewer, "who clears its content review");
    cmd->add_option("--due", a->due, "due date, YYYY-MM-DD (UTC); \"none\" to clear it");
    cmd->add_option("--change", a->change, "change assignment ID: only the options given change");
    cmd->add_option("--remove", a->remove, "remove assignment ID");
    cmd->add_option("--db", a->db, "the series' store (default OUT/.dramaloc-jobs.db)");
    cmd->callback([a] {
        Production p(a->series, a->db);
        if (a->remove) {
            const auto found = p.assignments->find(a->remove);
            if (!found || found->series != p.series_id || !p.assignments->remove(a->remove))
                throw UsageError("no assignment #" + std::to_string(a->remove) + " in this series (dramaloc assignments " + a->series + ")");
            std::cout << "assignment #" << a->remove << " removed\n";
            return;
        }
        board::Assignment x;
        if (a->change) {
            const auto found = p.assignments->find(a->change);
            if (!found || found->series != p.series_id)
                throw UsageError("no assignment #" + std::to_string(a->change) + " in this series (dramaloc assignments " + a->series + ")");
            x = *found;
        } else {
            if (a->episodes.empty() || a->language.empty() || a->linguist.empty())
                throw UsageError("a new assignment needs -e EPISODES, --lang and --linguist (or --change ID to change one)");
            x.series = p.series_id;
        }
        if (!a->episodes.empty()) std::tie(x.first_episode, x.last_episode) = board::episode_range(a->episodes);
        if (!a->language.empty()) x.language = a->language;
        if (!a->linguist.empty()) x.linguist = a->linguist;
        if (!a->reviewer.empty()) x.reviewer = a->reviewer == "none" ? "" : a->reviewer;
        if (!a->due.empty()) x.due = a->due == "none" ? "" : a->due;
        board::check_assignment(x, p.assignments->people(), p.project.options.languages.targets, p.episodes());
        if (a->change) p.assignments->update(x);
        else x = p.assignments->add(x);
        std::cout << (a->change ? "changed " : "assigned ") << describe(x) << "\n";
    });
    auto b = std::make_shared<Args>();
    auto* list = app.add_subcommand("assignments", "A series' assignments: episodes, language, linguist, reviewer, due date");
    list->add_option("series", b->series, "series file")->required();
    list->add_option("--db", b->db, "the series' store (default OUT/.dramaloc-jobs.db)");
    list->add_flag("--json", b->json, "JSON on stdout");
    list->callback([b] {
        Production p(b->series, b->db);
        const auto all = p.assignments->list(p.series_id);
        if (b->json) {
            json out = json::array();
            for (const auto& x : all) out.push_back(board::assignment_json(x));
            std::cout << json{{"assignments", out}}.dump(2) << "\n";
            return;
        }
        if (all.empty()) std::cout << "no assignments yet (dramaloc assign " << b->series << " -e EPISODES --lang L --linguist NAME)\n";
        for (const auto& x : all) std::cout << describe(x) << "\n";
    });
}

void register_board_command(CLI::App& app) {
    struct Args {
        std::string series, db;
        board::BoardFilter filter;
        bool json = false;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("board", "Where every episode x language stands: a matrix, with who holds it, late and blocked ones, the finish");
    cmd->add_option("series", a->series, "series file")->required();
    cmd->add_option("--db", a->db, "the series' store (default OUT/.dramaloc-jobs.db)");
    cmd->add_option("--mine", a->filter.person, "only versions assigned to this person (as linguist or reviewer)");
    cmd->add_option("--lang", a->filter.language, "only this language");
    cmd->add_flag("--late", a->filter.late, "only versions past their due date");
    cmd->add_flag("--blocked", a->filter.blocked, "only versions that failed or have unresolved block findings");
    cmd->add_flag("--json", a->json, "JSON on stdout");
    cmd->callback([a] {
        Production p(a->series, a->db);
        const auto& targets = p.project.options.languages.targets;
        if (!a->filter.language.empty() && std::find(targets.begin(), targets.end(), a->filter.language) == targets.end())
            throw UsageError("--lang " + a->filter.language + ": the series has no such language");
        const auto b = p.make();
        if (a->json) std::cout << board::board_json(b, a->filter).dump(2) << "\n";
        else std::cout << board::board_text(b, a->filter);
    });
}

}  // namespace

void register_board_commands(CLI::App& app) {
    register_people_commands(app);
    register_assign_commands(app);
    register_board_command(app);
}

}  // namespace dramaloc::cli
