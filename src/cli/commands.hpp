#pragma once
// Each subcommand registers itself on the app; its callback throws dramaloc::Error
// on failure and main() turns that into one line on stderr and an exit code.
#include <CLI/CLI.hpp>

#include "core/error.hpp"

namespace dramaloc::cli {

// Runs `parse` (which reads an option's value) and turns what it throws into a UsageError:
// a bad option value exits 2 in every command, like an unknown option.
template <typename Parse>
decltype(auto) option_value(Parse&& parse) {
    try {
        return parse();
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
}

// Set by a command to ask for a non-zero exit without an error message
// (e.g. `subs check` found rule violations).
extern int g_command_exit_code;

void register_probe_command(CLI::App& app);
void register_subs_commands(CLI::App& app);
void register_subs_extract_command(CLI::App& subs);  // subs extract (burned-in subtitles to a file)
void register_sample_commands(CLI::App& app);
void register_demo_command(CLI::App& app);
void register_languages_command(CLI::App& app);
void register_localize_command(CLI::App& app);
void register_run_command(CLI::App& app);       // run
void register_worker_command(CLI::App& app);    // worker
void register_status_commands(CLI::App& app);   // status, retry, cancel, stages
void register_edit_commands(CLI::App& app);     // edit, edits
void register_serve_commands(CLI::App& app);    // serve, token create
void register_library_commands(CLI::App& app);  // search, reindex, review
void register_config_commands(CLI::App& app);   // config check
void register_delivery_commands(CLI::App& app); // profiles, deliver
void register_board_commands(CLI::App& app);    // people, assign, assignments, board

}  // namespace dramaloc::cli
