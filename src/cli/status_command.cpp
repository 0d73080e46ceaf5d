// The factory's questions and corrections (docs/factory.md):
//   dramaloc status SERIES.toml [--json]              where every episode × language is
//   dramaloc retry | cancel SERIES.toml [-e EP] [--lang L]
//   dramaloc stages [--format text|json|dot]           the stage graph every job runs
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "board/assignments.hpp"
#include "board/board.hpp"
#include "cli/commands.hpp"
#include "cli/factory_args.hpp"
#include "core/time.hpp"
#include "delivery/delivery_log.hpp"
#include "jobs/factory.hpp"
#include "pipeline/stage_graph.hpp"

namespace dramaloc::cli {

using nlohmann::json;

void register_status_commands(CLI::App& app) {
    {
        auto a = std::make_shared<FactoryArgs>();
        auto* cmd = app.add_subcommand("status", "Where every episode × language of a series is: done, running where, failed and why, left");
        cmd->add_option("series", a->series, "series file")->required();
        cmd->add_option("--db", a->db, "job store (default OUT/.dramaloc-jobs.db)");
        cmd->add_option("--out", a->out, "output folder, when run was given one");
        cmd->add_flag("--json", a->json_out, "JSON on stdout");
        cmd->callback([a] {
            auto store = open_store(a->db, a->series, a->out, false);
            const auto all = jobs::latest_plan_jobs(*store, jobs::series_identity(a->series));
            std::map<std::string, int> counts;
            for (const auto& j : all) ++counts[state_word(j)];
            const int eta = seconds_left(all);
            // What was delivered where (dramaloc deliver), from the same store.
            const auto deliveries = delivery::open_delivery_log(store_url(a->db, a->series, a->out))->list(jobs::series_identity(a->series));
            if (a->json_out) {
                // Who does what by when (dramaloc assign).
                json assignments = json::array();
                for (const auto& x : board::open_assignment_store(store_url(a->db, a->series, a->out))->list(jobs::series_identity(a->series)))
                    assignments.push_back(board::assignment_json(x));
                json delivered = json::array();
                for (const auto& d : deliveries)
                    delivered.push_back({{"episode", d.episode}, {"language", d.language}, {"profile", d.profile},
                                         {"profile_version", d.profile_version}, {"destination", d.destination}, {"manifest", d.manifest},
                                         {"approved_by", d.approved_by}, {"delivered_at", utc_time(d.delivered_ms)}});
                json list = json::array();
                for (const auto& j : all)
                    list.push_back({{"job", j.key.substr(j.key.rfind('#') + 1)}, {"kind", j.kind}, {"episode", j.episode}, {"language", j.language},
                                    {"state", state_word(j)}, {"attempts", j.attempts}, {"worker", j.worker}, {"error", j.error}});
                std::cout << json{{"series", jobs::series_identity(a->series)}, {"counts", counts},
                                  {"eta_seconds", eta < 0 ? json(nullptr) : json(eta)}, {"jobs", list}, {"deliveries", delivered},
                                  {"assignments", assignments}}
                                 .dump(2)
                          << "\n";
                return;
            }
            if (all.empty()) {
                std::cout << a->series << ": not run yet (dramaloc run " << a->series << ")\n";
                return;
            }
            std::cout << a->series << ": " << all.size() << " jobs:";
            for (const auto& [state, n] : counts) std::cout << " " << n << " " << state << ";";
            if (eta >= 0) std::cout << " about " << (eta >= 120 ? std::to_string(eta / 60) + " min" : std::to_string(eta) + " s") << " left";
            std::cout << "\n";
            if (!deliveries.empty()) {
                std::map<std::string, int> by_profile;
                for (const auto& d : deliveries) ++by_profile[d.profile];
                std::cout << "delivered:";
                for (const auto& [profile, n] : by_profile) std::cout << " " << profile << " " << n << (n == 1 ? " version;" : " versions;");
                std::cout << "\n";
            }
            for (const auto& j : all) {
                std::cout << "  " << j.kind << (j.episode.empty() ? "" : " " + j.episode) << (j.language.empty() ? "" : " " + j.language) << ": "
                          << state_word(j);
                if (j.state == jobs::JobState::Running) std::cout << " on " << j.worker << " (attempt " << j.attempts << ")";
                if (j.state == jobs::JobState::Failed) std::cout << " after " << j.attempts << " attempts: " << j.error;
                if (j.state == jobs::JobState::Pending && !j.error.empty()) std::cout << " (retrying: " << j.error << ")";
                std::cout << "\n";
            }
        });
    }
    for (const bool retry : {true, false}) {
        auto a = std::make_shared<FactoryArgs>();
        auto* cmd = app.add_subcommand(retry ? "retry" : "cancel",
                                       retry ? "Run failed or cancelled jobs of a series again" : "Cancel the jobs of a series not yet done");
        cmd->add_option("series", a->series, "series file")->required();
        cmd->add_option("--episode,-e", a->only, "only this episode")->expected(1);
        cmd->add_option("--lang", a->lang, "only this language");
        cmd->add_option("--db", a->db, "job store (default OUT/.dramaloc-jobs.db)");
        cmd->add_option("--out", a->out, "output folder, when run was given one");
        cmd->callback([a, retry] {
            auto store = open_store(a->db, a->series, a->out, false);
            // The jobs `status` shows (each job's newest plan), one by one: its key, with its own
            // episode and language, so that ep1's key, a prefix of ep10's, names ep1's job alone.
            const std::string series = jobs::series_identity(a->series);
            int n = 0;
            for (const auto& j : jobs::latest_plan_jobs(*store, series)) {
                if ((!a->only.empty() && j.episode != a->only[0]) || (!a->lang.empty() && j.language != a->lang)) continue;
                const jobs::Filter one{series, j.episode, j.language, j.key};
                const int changed = retry ? store->retry(one) : store->cancel(one);
                n += changed;
                // A language retried after its episode was published without it: the episode
                // job runs again after it, to publish it.
                if (retry && changed > 0 && j.kind == "language") store->reset(jobs::plan_prefix_of(j.key) + "episode/" + j.episode);
            }
            std::cout << n << (n == 1 ? " job " : " jobs ") << (retry ? "to run again" : "cancelled")
                      << (retry && n > 0 ? "; dramaloc run " + a->series + " (or the workers) will take them" : "") << "\n";
        });
    }
    {
        auto format = std::make_shared<std::string>("text");
        auto* cmd = app.add_subcommand("stages", "The stage graph: every stage, the job it runs in, what it reads and what it stores");
        cmd->add_option("--format", *format, "text, json or dot (Graphviz)")->check(CLI::IsMember({"text", "json", "dot"}));
        cmd->callback([format] {
            std::cout << (*format == "json"  ? pipeline::stage_graph_json()
                          : *format == "dot" ? pipeline::stage_graph_dot()
                                             : pipeline::stage_graph_text());
        });
    }
}

}  // namespace dramaloc::cli
