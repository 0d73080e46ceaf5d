// The library and content review on the command line:
//   dramaloc search "words" [SERIES.toml] [--db URL] [--lang L] [--character C] [--json] …
//   dramaloc reindex SERIES.toml [--db URL]
//   dramaloc review SERIES.toml [-e EP] [--lang L] [--json]       run the policy packs
//   dramaloc review SERIES.toml --resolve ID --decision accepted|overridden --reason "…"
// The index lives in the job store's database: the series' own (OUT/.dramaloc-jobs.db) or
// the shared one given with --db.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "core/time.hpp"
#include "jobs/factory.hpp"
#include "series/edit_log.hpp"
#include "series/project.hpp"
#include "policy/content_review.hpp"
#include "search/library.hpp"
#include "search/library_lines.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The index: --db, else the series' own store beside its outputs (made by `run`).
// `create` false (search): read-only, and a missing file is an error, not an empty library.
std::unique_ptr<search::LibraryIndex> open_index(const std::string& db, const std::string& series_file, bool create) {
    if (!db.empty()) return search::open_library_index(db, !create);
    if (series_file.empty()) throw UsageError("give the series file whose library to search, or --db URL");
    const auto out_dir = series::load_series_project(series_file).options.run.out_dir;
    const fs::path file = out_dir / ".dramaloc-jobs.db";
    if (!create && !fs::exists(file))
        throw InputError(series_file + " has no library yet (no " + file.string() + "); run the series (dramaloc run " + series_file +
                         ") or build it from its outputs with dramaloc reindex " + series_file);
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) throw IoError("cannot create " + out_dir.string() + ": " + ec.message());
    return search::open_library_index(jobs::default_store_url(out_dir), !create);
}

TimeMs clock_option(const std::string& name, const std::string& value) {
    const auto t = parse_clock(value);
    if (!t) throw UsageError(name + " " + value + ": give a time such as 72.5, 01:12 or 1:01:12.250");
    return *t;
}

std::string marked(const search::LibraryHit& hit, bool terminal) {
    std::string out;
    std::size_t at = 0;
    for (const auto& [start, end] : hit.matches) {
        if (start < at) continue;
        out += hit.line.text.substr(at, start - at);
        out += terminal ? "\033[1m" : "[";
        out += hit.line.text.substr(start, end - start);
        out += terminal ? "\033[0m" : "]";
        at = end;
    }
    return out + hit.line.text.substr(at);
}

}  // namespace

void register_library_commands(CLI::App& app) {
    {
        struct Args {
            std::string query, series, db, lang, character, episode, qc, from, to, at;
            std::string in_series;
            bool edited = false, unedited = false, approved = false, unapproved = false, json_out = false;
            int limit = 50, offset = 0;
        };
        auto a = std::make_shared<Args>();
        auto* cmd = app.add_subcommand("search", "Find lines in every script of the library, in any language (docs/library.md)");
        cmd->add_option("query", a->query, "words (all must be in the line); \"quoted words\" are a phrase; may be \"\" with filters")->required();
        cmd->add_option("series", a->series, "series file: its library (OUT/.dramaloc-jobs.db), its lines only");
        cmd->add_option("--db", a->db, "the job store holding the library: postgresql://… or a SQLite file (every series in it)");
        cmd->add_option("--lang", a->lang, "only lines in this language (the source language finds the source lines)");
        cmd->add_option("--character", a->character, "only this character's lines (their id, as in the cast)");
        cmd->add_option("--episode,-e", a->episode, "only this episode (its name, ep01)");
        cmd->add_option("--in-series", a->in_series, "with --db: only this series (its file's name without .toml)");
        cmd->add_option("--qc", a->qc, "only lines that broke this QC rule (max_chars_per_second, …)");
        cmd->add_flag("--edited", a->edited, "only lines a person edited");
        cmd->add_flag("--unedited", a->unedited, "only lines as the machine made them");
        cmd->add_flag("--approved", a->approved, "only lines of approved episode × languages");
        cmd->add_flag("--unapproved", a->unapproved, "only lines not (or no longer) approved");
        cmd->add_option("--at", a->at, "only the line(s) on screen at this time (01:12, 72.5)");
        cmd->add_option("--from", a->from, "only lines ending at or after this time");
        cmd->add_option("--to", a->to, "only lines starting at or before this time");
        cmd->add_option("--limit", a->limit, "hits to show (1–1000; default 50)");
        cmd->add_option("--offset", a->offset, "hits to skip (the next page)");
        cmd->add_flag("--json", a->json_out, "JSON on stdout: {\"hits\": [{episode, line, start, end (seconds), lang, text, …}]}");
        cmd->callback([a] {
            if (a->edited && a->unedited) throw UsageError("--edited and --unedited exclude each other");
            if (a->approved && a->unapproved) throw UsageError("--approved and --unapproved exclude each other");
            search::LibraryQuery q;
            q.text = a->query;
            q.language = a->lang;
            q.character = a->character;
            q.episode = a->episode;
            q.qc = a->qc;
            q.limit = a->limit;
            q.offset = a->offset;
            if (a->edited || a->unedited) q.edited = a->edited;
            if (a->approved || a->unapproved) q.approved = a->approved;
            if (!a->at.empty()) q.from_ms = q.to_ms = clock_option("--at", a->at);
            if (!a->from.empty()) q.from_ms = clock_option("--from", a->from);
            if (!a->to.empty()) q.to_ms = clock_option("--to", a->to);
            if (!a->series.empty()) q.series = search::library_series_id(a->series);
            if (!a->in_series.empty()) q.series = a->in_series;
            auto index = open_index(a->db, a->series, false);
            const auto hits = index->search(q);
            if (a->json_out) {
                json list = json::array();
                for (const auto& h : hits) list.push_back(search::hit_to_json(h));
                std::cout << json{{"query", a->query}, {"offset", q.offset}, {"hits", list}}.dump(2) << "\n";
            } else {
                const bool terminal = isatty(STDOUT_FILENO) != 0;
                for (const auto& h : hits) {
                    const auto& l = h.line;
                    std::cout << l.series << " " << l.episode << " " << format_clock(l.start_ms) << "–" << format_clock(l.end_ms) << " " << l.language
                              << " line " << l.line << (l.speaker.empty() ? "" : " " + l.speaker) << (l.edited ? " (edited)" : "")
                              << (l.approved ? " (approved)" : "") << "\n    " << marked(h, terminal) << "\n";
                    if (!l.is_source && !l.source.empty()) std::cout << "    source: " << l.source << "\n";
                    if (!l.qc.empty()) {
                        std::cout << "    QC:";
                        for (const auto& r : l.qc) std::cout << " " << r;
                        std::cout << "\n";
                    }
                }
            }
            if (hits.empty()) {
                std::cerr << "dramaloc search: no line found in " << index->describe() << "\n";
                g_command_exit_code = 1;  // like grep: a script can tell
            } else if (!a->json_out && static_cast<int>(hits.size()) == q.limit) {
                std::cerr << hits.size() << " hits shown; more with --offset " << q.offset + q.limit << "\n";
            }
        });
    }
    {
        struct Args {
            std::string series, db;
            bool quiet = false;
        };
        auto a = std::make_shared<Args>();
        auto* cmd = app.add_subcommand("reindex", "Build a series' part of the library again from its outputs");
        cmd->add_option("series", a->series, "series file")->required();
        cmd->add_option("--db", a->db, "the job store holding the library (default OUT/.dramaloc-jobs.db)");
        cmd->add_flag("--quiet,-q", a->quiet, "no progress");
        cmd->callback([a] {
            const auto project = series::load_series_project(a->series);
            auto index = open_index(a->db, a->series, true);
            Progress progress("reindex " + search::library_series_id(project.file), a->quiet);
            std::size_t done = 0, published = 0;
            const std::size_t lines = search::reindex_series(*index, project, [&](const std::string&, std::size_t n) {
                published += n > 0;
                progress.update(static_cast<double>(++done) / static_cast<double>(std::max<std::size_t>(1, project.episodes.size())));
            });
            progress.done();
            std::cout << search::library_series_id(project.file) << ": " << lines << " lines of " << published << " published episode(s) of "
                      << project.episodes.size() << " indexed in " << index->describe() << "\n";
            if (published == 0) {
                std::cerr << "dramaloc reindex: no episode of " << a->series << " has been published yet; run it first (dramaloc run "
                          << a->series << ")\n";
                g_command_exit_code = 1;
            }
        });
    }
    {
        struct Args {
            std::string series, lang, resolve, decision, reason;
            std::vector<std::string> only;
            bool json_out = false;
        };
        auto a = std::make_shared<Args>();
        auto* cmd = app.add_subcommand("review", "Run the series' content policy packs over its published episodes (docs/content-review.md)");
        cmd->add_option("series", a->series, "series file")->required();
        cmd->add_option("--episode,-e", a->only, "only these episodes; repeatable");
        cmd->add_option("--lang", a->lang, "only this language (the source language's code reviews the source script)");
        cmd->add_flag("--json", a->json_out, "the findings as JSON on stdout");
        cmd->add_option("--resolve", a->resolve, "resolve this finding (its id, from the findings) instead of reviewing");
        cmd->add_option("--decision", a->decision, "with --resolve: accepted (the line may stand) or overridden (a false hit)");
        cmd->add_option("--reason", a->reason, "with --resolve: why (required)");
        cmd->callback([a] {
            const auto project = series::load_series_project(a->series);
            const auto content_reviewer = policy::content_reviewer_of(project);
            std::vector<std::string> episodes = a->only;
            if (episodes.empty())
                for (const auto& f : project.episodes) episodes.push_back(f.stem().string());
            const std::vector<std::string> languages = a->lang.empty() ? std::vector<std::string>{} : std::vector<std::string>{a->lang};
            if (!a->resolve.empty()) {
                if (a->decision.empty() || a->reason.empty()) throw UsageError("--resolve needs --decision accepted|overridden and --reason");
                for (const auto& episode : episodes)
                    for (const auto& f : policy::review_content(*content_reviewer, project, episode, languages, policy::model_asker(project)).findings) {
                        if (f.id != a->resolve) continue;
                        policy::record_resolution(project.options.run.out_dir, {f.id, f.episode, f.language, f.line, a->decision, a->reason,
                                                                            current_user(), utc_now(), f.pack, f.pack_version, f.rule});
                        // The episode's report, with the resolution (and its model rules asked again).
                        policy::write_reports(project, policy::review_content(*content_reviewer, project, episode, {}, policy::model_asker(project)));
                        std::cout << f.episode << " " << f.language << " line " << f.line << ": " << a->decision << " (" << f.pack << " "
                                  << f.pack_version << ")\n";
                        return;
                    }
                throw UsageError("no finding " + a->resolve + " in " + a->series + " now (the line may have changed since; run dramaloc review again)");
            }
            const auto ask = policy::model_asker(project);
            json all = json::array();
            int findings = 0, blocks = 0, published = 0, skipped = 0;
            for (const auto& episode : episodes) {
                const auto review = policy::review_content(*content_reviewer, project, episode, languages, ask);
                if (!review.published) continue;
                ++published;
                skipped += review.model_rules_skipped;
                if (a->lang.empty()) policy::write_reports(project, review);  // the report is of the whole episode
                findings += static_cast<int>(review.findings.size());
                blocks += review.unresolved_blocks();
                if (a->json_out) {
                    all.push_back(policy::report_json(review));
                    continue;
                }
                for (const auto& f : review.findings) {
                    const auto r = review.resolutions.find(f.id);
                    std::cout << f.episode << " " << f.language << " line " << f.line << " " << format_clock(f.start_ms)
                              << (f.speaker.empty() ? "" : " " + f.speaker) << "  " << policy::to_string(f.severity)
                              << (f.category.empty() ? "" : " " + f.category) << "  [" << f.id << "]"
                              << (r != review.resolutions.end() ? "  " + r->second.decision + " by " + r->second.who + ": " + r->second.reason : "")
                              << "\n    " << f.text << "\n    " << f.reason << " (" << f.rule << ")\n";
                }
            }
            if (a->json_out) std::cout << json{{"series", search::library_series_id(project.file)}, {"episodes", all}}.dump(2) << "\n";
            std::cerr << findings << " finding(s) in " << published << " published episode(s), " << blocks
                      << " unresolved block(s); " << content_reviewer->packs().size() << " pack(s), " << content_reviewer->entries() << " rule(s)\n";
            if (skipped > 0)
                std::cerr << "dramaloc review: " << skipped << " model rule run(s) skipped: no language model is configured ([engines.translate] backend = \"openai\")\n";
            if (published == 0) {
                std::cerr << "dramaloc review: nothing to review: no episode of " << a->series << " has been published (dramaloc run " << a->series << ")\n";
                g_command_exit_code = 1;
            } else if (blocks > 0) {
                std::cerr << "dramaloc review: " << blocks << " block finding(s) must be resolved or their lines edited before approval\n";
                g_command_exit_code = 1;
            }
        });
    }
}

}  // namespace dramaloc::cli
