// `dramaloc profiles`: the delivery profiles a series can deliver to (docs/delivery.md).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "delivery/profile.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;

void register_delivery_commands(CLI::App& app) {
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
