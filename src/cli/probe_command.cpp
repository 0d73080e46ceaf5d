#include <iostream>

#include "cli/commands.hpp"
#include "media/probe.hpp"

namespace dramaloc::cli {

namespace {

void print_human(const media::MediaInfo& info) {
    std::cout << info.path.string() << ": " << info.format << ", " << format_clock(info.duration_ms) << ", "
              << info.bit_rate / 1000 << " kb/s\n";
    for (const auto& s : info.streams) {
        std::cout << "  #" << s.index << " " << media::to_string(s.type) << " " << s.codec;
        if (s.type == media::StreamType::Video) {
            std::cout << " " << s.width << "x" << s.height;
            if (s.frame_rate.num > 0) std::cout << " " << s.frame_rate.fps() << " fps";
            if (s.rotation_degrees) std::cout << " rotated " << s.rotation_degrees << "°";
        } else if (s.type == media::StreamType::Audio) {
            std::cout << " " << s.sample_rate << " Hz " << s.channel_layout;
        }
        if (!s.language.empty()) std::cout << " [" << s.language << "]";
        if (!s.title.empty()) std::cout << " \"" << s.title << "\"";
        if (s.is_default) std::cout << " (default)";
        std::cout << "\n";
    }
}

}  // namespace

void register_probe_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("probe", "Show the streams of a media file");
    auto path = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    cmd->add_option("FILE", *path, "media file")->required();
    cmd->add_flag("--json", *json, "print JSON (keys documented in docs/cli.md)");
    cmd->callback([path, json] {
        const auto info = media::probe(*path);
        if (*json) std::cout << media::to_json(info).dump(2) << "\n";
        else print_human(info);
    });
}

}  // namespace dramaloc::cli
