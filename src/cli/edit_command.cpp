// People's edits from the command line (docs/factory.md, "Editing a line"):
//   dramaloc edit SERIES.toml -e EP --lang L --line N --text "…"   change a line, re-render what depends on it
//   dramaloc edits SERIES.toml [-e EP] [--lang L] [--json]          the edit history
#include <algorithm>
#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/factory_args.hpp"
#include "series/edit_log.hpp"
#include "series/project.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;
using nlohmann::json;

void register_edit_commands(CLI::App& app) {
    {
        struct EditArgs {
            FactoryArgs run;
            std::string language, text, by;
            int line = 0;
            bool revert = false, no_run = false;
        };
        auto e = std::make_shared<EditArgs>();
        auto* cmd = app.add_subcommand("edit", "Change one translated line and re-render only what depends on it");
        cmd->add_option("series", e->run.series, "series file")->required();
        cmd->add_option("--episode,-e", e->run.only, "the episode (file name without extension)")->required()->expected(1);
        cmd->add_option("--lang", e->language, "the language of the line")->required();
        cmd->add_option("--line", e->line, "the line's id (as in NAME.LANG.script.json)")->required()->check(CLI::PositiveNumber);
        auto* text = cmd->add_option("--text", e->text, "the line's new text");
        auto* revert = cmd->add_flag("--revert", e->revert, "drop the line's edit: the machine translation again");
        text->excludes(revert);
        cmd->add_option("--by", e->by, "who edits (default $USER); kept in the history");
        cmd->add_flag("--no-run", e->no_run, "record the edit only; the next run renders it");
        cmd->add_option("--out", e->run.out, "output folder, when run was given one");
        cmd->add_option("--store", e->run.store, "artifact store folder, when run was given one");
        cmd->add_option("--artifacts", e->run.artifacts, "artifacts on an S3-compatible store, when run was given one");
        add_worker_options(cmd, std::shared_ptr<FactoryArgs>(e, &e->run));
        cmd->callback([e] {
            if (e->text.empty() && !e->revert) throw UsageError("give the line's new text with --text, or --revert to take the machine translation back");
            if (e->text.find_first_of("\r\n") != std::string::npos || !subtitles::is_valid_utf8(e->text))
                throw UsageError("--text must be one line of UTF-8 text");
            const auto project = series::load_series_project(e->run.series);
            const fs::path out_dir = e->run.out.empty() ? project.options.run.out_dir : fs::absolute(e->run.out);
            const std::string& episode = e->run.only.at(0);
            if (std::none_of(project.episodes.begin(), project.episodes.end(), [&](const fs::path& p) { return p.stem() == episode; }))
                throw UsageError("--episode " + episode + ": " + e->run.series + " has no such episode");
            const auto& targets = project.options.languages.targets;
            if (std::find(targets.begin(), targets.end(), e->language) == targets.end())
                throw UsageError("--lang " + e->language + ": not a language of the series (to = " + [&] {
                    std::string all;
                    for (const auto& l : targets) all += (all.empty() ? "" : ",") + l;
                    return all;
                }() + "); the source script cannot be edited yet");
            series::LineEditRequest request;
            request.episode = episode;
            request.language = e->language;
            request.line = e->line;
            request.text = e->text;
            request.revert = e->revert;
            request.who = e->by;
            request.via = "cli";
            const auto result = series::record_line_edit(out_dir, request, [](const std::string& what) { std::cerr << "dramaloc: " << what << "\n"; });
            const std::string where = episode + " " + e->language + " line " + std::to_string(e->line);
            using Outcome = series::LineEditResult::Outcome;
            if (result.outcome == Outcome::NothingToRevert) {
                std::cout << where << " has no edit to revert\n";
                return;
            }
            if (result.outcome == Outcome::Unchanged) {
                std::cout << where << " already says that; nothing to do\n";
                return;
            }
            std::cout << where << ": \"" << result.edit.before << "\" -> \"" << result.text << "\" (by " << result.edit.who
                      << ", kept in " << series::EditLog(out_dir).file().string() << ")\n";
            if (e->no_run) return;
            const auto started = std::chrono::steady_clock::now();
            g_command_exit_code = run_series(e->run, /*supersede=*/false);
            if (!e->run.quiet)
                std::cerr << where << ": outputs re-rendered in "
                          << static_cast<int>(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() * 10 + 0.5) / 10.0
                          << " s\n";
        });
    }
    {
        auto a = std::make_shared<FactoryArgs>();
        auto* cmd = app.add_subcommand("edits", "The edit history of a series: who changed which line, when, from what to what");
        cmd->add_option("series", a->series, "series file")->required();
        cmd->add_option("--episode,-e", a->only, "only this episode")->expected(1);
        cmd->add_option("--lang", a->lang, "only this language");
        cmd->add_option("--out", a->out, "output folder, when run was given one");
        cmd->add_flag("--json", a->json_out, "JSON on stdout");
        cmd->callback([a] {
            const fs::path out_dir = a->out.empty() ? series::load_series_project(a->series).options.run.out_dir : fs::absolute(a->out);
            json list = json::array();
            for (const auto& e : series::EditLog(out_dir).history()) {
                if ((!a->only.empty() && e.episode != a->only[0]) || (!a->lang.empty() && e.language != a->lang)) continue;
                if (a->json_out) {
                    list.push_back({{"episode", e.episode}, {"language", e.language}, {"line", e.line}, {"before", e.before},
                                    {"after", e.revert ? e.machine : e.redub || !e.speaker.empty() ? e.before : e.after}, {"revert", e.revert},
                                    {"redub", e.redub}, {"speaker", e.speaker.empty() ? json(nullptr) : json(e.speaker)},
                                    {"machine", e.machine}, {"who", e.who}, {"when", e.when}, {"via", e.via}});
                    continue;
                }
                std::cout << e.when << " " << e.who << " (" << e.via << ") " << e.episode << " " << e.language << " line " << e.line << ": ";
                if (e.redub) std::cout << "\"" << e.before << "\" dubbed again (a new take)\n";
                else if (!e.speaker.empty()) std::cout << "given to " << e.speaker << "\n";
                else
                    std::cout << "\"" << e.before << "\" -> \"" << (e.revert ? e.machine : e.after) << "\"" << (e.revert ? " (reverted)" : "") << "\n";
            }
            if (a->json_out) std::cout << json{{"edits", list}}.dump(2) << "\n";
        });
    }
}

}  // namespace dramaloc::cli
