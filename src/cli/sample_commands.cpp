#include <cstdio>
#include <iostream>
#include <tuple>

#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "sample/sample.hpp"

namespace dramaloc::cli {

void register_sample_commands(CLI::App& app) {
    auto* sample_cmd = app.add_subcommand("sample", "Generate test episodes with a known script");
    sample_cmd->require_subcommand(1);

    struct MakeArgs {
        std::string out, hardsubs, background = "plain", lines = "standard", music = "-15";
        std::string size = "1080x1920", source_size, font = "Noto Sans CJK SC", colour = "white", position = "lower-third", caption = "none";
        int seconds = 30, keyframes = 0, font_size = 0, outline = -1, shadow = 0, crf = 23, fps = 30;
        std::uint64_t seed = 1;
        bool quiet = false, box = false, regular = false;
    };
    auto a = std::make_shared<MakeArgs>();
    auto* make = sample_cmd->add_subcommand(
        "make", "Write an episode OUT.mp4 (1080x1920, 30 fps unless asked otherwise; espeak-ng voices over quiet music) and its reference OUT.json");
    make->add_option("OUT", a->out, "output .mp4")->required();
    make->add_option("--seconds", a->seconds, "length in seconds (5 to 3600)")->capture_default_str();
    make->add_option("--hardsubs", a->hardsubs, "burn in subtitles in this language: zh, or zh-Hant (Traditional characters)");
    make->add_option("--background", a->background,
                     "plain, striped or busy; or photographs and video clips (FILE[,FILE…]): photographs are panned and zoomed, "
                     "clips cropped to the frame, with a cut every 3-6 s")
        ->capture_default_str();
    make->add_option("--size", a->size, "frame size WxH (even numbers)")->capture_default_str();
    make->add_option("--source-size", a->source_size, "draw frames at this size WxH and scale them up to --size (a 720p master: 720x1280)");
    make->add_option("--fps", a->fps, "frames per second (24, 25, 30…)")->capture_default_str();
    make->add_option("--crf", a->crf, "x264 quality, 23 (default) to 32 (heavily compressed)")->capture_default_str();
    make->add_option("--font", a->font, "font family of the burned-in subtitles (fc-list :lang=zh family)")->capture_default_str();
    make->add_option("--font-size", a->font_size, "subtitle font size in pixels of the drawn frame (default 84 at 1080 wide)");
    make->add_flag("--regular", a->regular, "regular weight instead of bold");
    make->add_option("--text-colour,--text-color", a->colour, "white, yellow, lightblue or #RRGGBB")->capture_default_str();
    make->add_option("--outline", a->outline, "outline width in pixels, 0 for none (default 4 at 1080 wide)");
    make->add_option("--shadow", a->shadow, "drop shadow in pixels")->capture_default_str();
    make->add_flag("--box", a->box, "a translucent dark box behind the text instead of an outline");
    make->add_option("--position", a->position, "bottom, lower-third or top")->capture_default_str();
    make->add_option("--caption", a->caption, "a second text layer at the top left: none, latin or cyrillic")->capture_default_str();
    make->add_option("--seed", a->seed, "seed for pauses, music and textures")->capture_default_str();
    make->add_option("--lines", a->lines, "standard, short (3-8 Chinese characters a line) or varied (look-alike characters, every punctuation mark)")
        ->capture_default_str();
    make->add_option("--music", a->music, "music level in dB relative to the voices, or none")->capture_default_str();
    make->add_option("--keyframes", a->keyframes, "seconds between key frames (0: every 2 s and at scene cuts)")->capture_default_str();
    make->add_flag("--quiet,-q", a->quiet, "no progress output");
    make->callback([a] {
        sample::SampleOptions options;
        options.seconds = a->seconds;
        if (!a->hardsubs.empty()) options.hardsubs_language = a->hardsubs;
        if (const auto background = sample::background_from_string(a->background)) {
            options.background = *background;
        } else {
            for (std::size_t at = 0; at <= a->background.size();) {
                const std::size_t comma = std::min(a->background.find(',', at), a->background.size());
                if (comma > at) options.background_files.emplace_back(a->background.substr(at, comma - at));
                at = comma + 1;
            }
            for (const auto& file : options.background_files)
                if (!std::filesystem::is_regular_file(file))
                    throw UsageError("--background \"" + file.string() + "\": no such file; use plain, striped, busy or picture files");
        }
        const auto size = [](const std::string& text, const char* option) {
            int w = 0, h = 0;
            char x = 0;
            if (std::sscanf(text.c_str(), "%d%c%d", &w, &x, &h) != 3 || x != 'x')
                throw UsageError(std::string(option) + " \"" + text + "\": give WIDTHxHEIGHT, e.g. 1080x1920");
            return std::pair{w, h};
        };
        std::tie(options.width, options.height) = size(a->size, "--size");
        if (!a->source_size.empty()) std::tie(options.source_width, options.source_height) = size(a->source_size, "--source-size");
        options.fps = FrameRate{a->fps, 1};
        options.crf = a->crf;
        options.look.font = a->font;
        options.look.size_px = a->font_size;
        options.look.bold = !a->regular;
        const auto colour = sample::colour_from_string(a->colour);
        if (!colour) throw UsageError("--text-colour \"" + a->colour + "\": use white, yellow, lightblue or #RRGGBB");
        options.look.colour = *colour;
        options.look.outline_px = a->outline;
        options.look.shadow_px = a->shadow;
        options.look.box = a->box;
        const auto position = sample::text_position_from_string(a->position);
        if (!position) throw UsageError("--position \"" + a->position + "\": use bottom, lower-third or top");
        options.look.position = *position;
        const auto caption = sample::caption_from_string(a->caption);
        if (!caption) throw UsageError("--caption \"" + a->caption + "\": use none, latin or cyrillic");
        options.caption = *caption;
        options.seed = a->seed;
        const auto scene = sample::scene_from_string(a->lines);
        if (!scene) throw UsageError("unknown --lines \"" + a->lines + "\"; use standard, short or varied");
        options.scene = *scene;
        if (a->music == "none") {
            options.music_db.reset();
        } else {
            try {
                std::size_t used = 0;
                options.music_db = std::stod(a->music, &used);
                if (used != a->music.size()) throw std::invalid_argument(a->music);
            } catch (const std::logic_error&) {
                throw UsageError("--music \"" + a->music + "\": give a level in dB relative to the voices (e.g. -20), or none");
            }
        }
        options.keyframe_interval_s = a->keyframes;
        option_value([&] { sample::validate_options(options); });
        Progress progress("sample " + std::filesystem::path(a->out).filename().string(), a->quiet);
        options.on_progress = [&progress](double f) { progress.update(f); };
        const auto result = sample::make_sample(a->out, options);
        progress.done();
        std::cout << result.video.string() << "\n" << result.reference.string() << "\n";
    });
}

}  // namespace dramaloc::cli
