// dramaloc — the command-line entry point. The error boundary lives here: every
// dramaloc::Error becomes one line on stderr and an exit code per kind
// (docs/user-guide.md, "Exit codes"); anything else is reported as an internal error.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "media/av_handles.hpp"

namespace dramaloc::cli {
int g_command_exit_code = 0;
}

namespace {

extern "C" void on_interrupt(int signal_number) {
    // First Ctrl-C: ask the work to stop at the next safe point, so temporaries are
    // removed on the way out. A second one ends the process at once.
    dramaloc::request_cancel();
    std::signal(signal_number, SIG_DFL);
}

void install_signal_handlers() {
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"dramaloc — localize short dramas: subtitles, dubbing, rendering, QC"};
    app.set_version_flag("--version", std::string("dramaloc ") + dramaloc::kVersion);
    app.require_subcommand(1);
    app.fallthrough();

    dramaloc::cli::register_localize_command(app);
    dramaloc::cli::register_run_command(app);
    dramaloc::cli::register_worker_command(app);
    dramaloc::cli::register_status_commands(app);
    dramaloc::cli::register_edit_commands(app);
    dramaloc::cli::register_serve_commands(app);
    dramaloc::cli::register_library_commands(app);
    dramaloc::cli::register_config_commands(app);
    dramaloc::cli::register_delivery_commands(app);
    dramaloc::cli::register_board_commands(app);
    dramaloc::cli::register_probe_command(app);
    dramaloc::cli::register_subs_commands(app);
    dramaloc::cli::register_sample_commands(app);
    dramaloc::cli::register_demo_command(app);
    dramaloc::cli::register_languages_command(app);

    install_signal_handlers();
    // Our own one-line messages, not FFmpeg's log; DRAMALOC_FFMPEG_LOG=1 shows it for debugging.
    dramaloc::media::set_ffmpeg_log_quiet(std::getenv("DRAMALOC_FFMPEG_LOG") == nullptr);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        // One line, like every other error, and the same code as a bad option value.
        std::fprintf(stderr, "dramaloc: %s; see dramaloc --help\n", e.what());
        return dramaloc::exit_code_for(dramaloc::ErrorKind::Usage);
    } catch (const dramaloc::Cancelled&) {
        std::fprintf(stderr, "dramaloc: cancelled; no partial outputs were kept\n");
        return dramaloc::exit_code_for(dramaloc::ErrorKind::Cancelled);
    } catch (const dramaloc::Error& e) {
        std::fprintf(stderr, "dramaloc: %s\n", e.what());
        return dramaloc::exit_code_for(e.kind());
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "dramaloc: out of memory; close other programs or process fewer episodes at once\n");
        return dramaloc::exit_code_for(dramaloc::ErrorKind::Internal);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dramaloc: internal error: %s (please report it)\n", e.what());
        return dramaloc::exit_code_for(dramaloc::ErrorKind::Internal);
    }
    return dramaloc::cli::g_command_exit_code;
}
