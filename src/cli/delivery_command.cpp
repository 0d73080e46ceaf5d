// `dramaloc profiles` (the delivery profiles a series can deliver to) and `dramaloc deliver`
// (approved versions as a profile asks for them) (docs/delivery.md).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "delivery/deliver.hpp"
#include "delivery/delivery_log.hpp"
#include "delivery/destination.hpp"
#include "jobs/factory.hpp"
#include "delivery/profile.hpp"
#include "series/project.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;

namespace {

void register_deliver_command(CLI::App& app) {
    struct Args {
        std::string series, profile, to, db;
        std::vector<std::string> episodes, languages;
        bool json = false;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("deliver", "Deliver approved episode x language versions as a delivery profile asks, each with a manifest");
    cmd->add_option("series", a->series, "series file")->required();
    cmd->add_option("--profile", a->profile, "a profile's name (dramaloc profiles) or a .toml file")->required();
    cmd->add_option("--to", a->to, "the delivery folder, or s3://BUCKET/PREFIX (endpoint and keys as for --artifacts)")->required();
    cmd->add_option("--db", a->db, "the series' store, where deliveries are recorded (default OUT/.dramaloc-jobs.db)");
    cmd->add_option("-e,--episode", a->episodes, "only this episode (repeatable)");
    cmd->add_option("--lang", a->languages, "only this language (repeatable)");
    cmd->add_flag("--json", a->json, "what became of each version, as JSON on stdout");
    cmd->callback([a] {
        const auto project = series::load_series_project(a->series);
        const auto profile = delivery::find_profile(a->profile, fs::absolute(a->series).parent_path());
        delivery::DeliverOptions options;
        options.episodes = a->episodes;
        options.languages = a->languages;
        const auto destination = delivery::open_destination(a->to);
        options.destination = destination.get();
        // Recorded beside the series' jobs: in --db, else in the store `run` made (made here
        // when the series has not run through the factory).
        std::unique_ptr<delivery::DeliveryLog> log;
        if (!a->db.empty()) log = delivery::open_delivery_log(a->db);
        else if (fs::is_directory(project.options.run.out_dir))  // else nothing is published, so nothing is delivered
            log = delivery::open_delivery_log(jobs::default_store_url(project.options.run.out_dir));
        options.log = log.get();
        options.series_id = jobs::series_identity(a->series);
        if (!a->json) options.say = [](const std::string& line) { std::cerr << "dramaloc: " << line << std::endl; };
        const auto results = delivery::deliver(project, profile, options);
        int delivered = 0, unchanged = 0, held = 0;
        nlohmann::json list = nlohmann::json::array();
        for (const auto& r : results) {
            delivered += r.state == "delivered";
            unchanged += r.state == "unchanged";
            held += r.state == "held";
            list.push_back({{"episode", r.episode}, {"language", r.language}, {"state", r.state}, {"reason", r.reason},
                            {"manifest", r.state == "held" ? "" : r.manifest}});
        }
        if (a->json) std::cout << nlohmann::json{{"profile", profile.name}, {"versions", list}}.dump(2) << "\n";
        std::cerr << "dramaloc: " << profile.name << " v" << profile.version << ": " << delivered << " delivered, " << unchanged
                  << " already there, " << held << " held back" << std::endl;
        if (held > 0) g_command_exit_code = 3;  // what was asked for is not all delivered
    });
}

}  // namespace

void register_delivery_commands(CLI::App& app) {
    register_deliver_command(app);
    struct Args {
        std::string series;
        bool json = false;
    };
    auto a = std::make_shared<Args>();
    auto* cmd = app.add_subcommand("profiles", "The delivery profiles: built in, and the series' own (profiles/*.toml beside it)");
    cmd->add_option("series", a->series, "series file whose own profiles are listed too");
    cmd->add_flag("--json", a->json, "every profile in full, as JSON on stdout: {\"profiles\": [...]}");
    cmd->callback([a] {
        fs::path dir;
        if (!a->series.empty()) {
            if (!fs::is_regular_file(a->series)) throw UsageError(a->series + " is not a series file");
            dir = fs::absolute(a->series).parent_path();
        }
        const auto profiles = delivery::available_profiles(dir);
        if (a->json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& p : profiles) list.push_back(p.to_json());
            std::cout << nlohmann::json{{"profiles", list}}.dump(2) << "\n";
            return;
        }
        std::printf("%-16s  %-7s  %-10s  %s\n", "PROFILE", "VERSION", "ORIGIN", "WHAT IT DELIVERS");
        for (const auto& p : profiles)
            std::printf("%-16s  %-7d  %-10s  %s\n", p.name.c_str(), p.version,
                        p.origin == "built-in" ? "built-in" : fs::path(p.origin).filename().c_str(), p.description.c_str());
    });
}

}  // namespace dramaloc::cli
