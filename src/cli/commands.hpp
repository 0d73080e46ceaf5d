#pragma once
// Each subcommand registers itself on the app; its callback throws dramaloc::Error
// on failure and main() turns that into one line on stderr and an exit code.
#include <CLI/CLI.hpp>

namespace dramaloc::cli {

// Set by a command to ask for a non-zero exit without an error message
// (e.g. `subs check` found rule violations).
extern int g_command_exit_code;

void register_probe_command(CLI::App& app);
void register_subs_commands(CLI::App& app);
void register_sample_commands(CLI::App& app);
void register_demo_command(CLI::App& app);
void register_languages_command(CLI::App& app);
void register_localize_command(CLI::App& app);
void register_run_command(CLI::App& app);

}  // namespace dramaloc::cli
