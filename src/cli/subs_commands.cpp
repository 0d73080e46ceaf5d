#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/language.hpp"
#include "pipeline/settings_schema.hpp"
#include "subtitles/check.hpp"
#include "subtitles/format.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::cli {

namespace fs = std::filesystem;

namespace {

// The language of a subtitle file: --lang, else what the file says (TTML xml:lang),
// else the NAME.LANG.ext convention media players use.
std::string resolve_language(const std::string& flag, const subtitles::SubtitleDocument& doc, const fs::path& path) {
    if (!flag.empty()) {
        option_value([&] { language_or_throw(flag); });  // reject unknown tags early
        return flag;
    }
    if (!doc.language.empty()) return doc.language;
    const fs::path stem = path.stem();
    if (!stem.extension().empty()) {
        const std::string tag = stem.extension().string().substr(1);
        if (find_language(tag)) return tag;
    }
    return {};
}

FrameRate parse_fps(double fps) {
    if (fps <= 0 || fps > 240) throw UsageError("--fps must be between 1 and 240");
    // Common NTSC rates as exact rationals.
    if (std::abs(fps - 29.97) < 0.01) return {30000, 1001};
    if (std::abs(fps - 23.976) < 0.01) return {24000, 1001};
    if (std::abs(fps - 59.94) < 0.01) return {60000, 1001};
    return {static_cast<int>(std::lround(fps * 1000)), 1000};
}

void convert(const fs::path& in, const fs::path& out, const std::string& lang_flag, double fps) {
    const auto out_format = subtitles::format_from_path(out);  // fail before reading
    const auto doc = subtitles::read_subtitles(in);
    subtitles::WriteOptions options;
    const std::string lang = resolve_language(lang_flag, doc, in);
    if (!lang.empty()) options.language = lang;
    if (doc.video_width > 0 && doc.video_height > 0) {
        options.video_width = doc.video_width;
        options.video_height = doc.video_height;
    }
    options.frame_rate = parse_fps(fps);
    subtitles::write_subtitles(out, doc, options);
    std::cerr << "wrote " << out.string() << " (" << doc.events.size() << " events, "
              << subtitles::to_string(out_format) << ", language " << options.language << ")\n";
}

int check(const fs::path& file, const std::string& lang_flag, double fps, bool json, const std::string& config_path) {
    const auto doc = subtitles::read_subtitles(file);
    const std::string lang = resolve_language(lang_flag, doc, file);
    if (lang.empty())
        throw InputError(file.string() + ": cannot tell its language; pass --lang (e.g. --lang en)");
    auto rules = subtitles::rules_for_language(lang);
    if (!config_path.empty()) subtitles::apply_overrides(rules, Config::load(config_path, pipeline::settings_file_schema()), lang);
    const auto violations = subtitles::check_events(doc.events, rules, parse_fps(fps));

    int errors = 0, warnings = 0;
    for (const auto& v : violations) (v.severity == subtitles::Severity::Error ? errors : warnings)++;
    if (json) {
        nlohmann::json out{{"file", file.string()},
                           {"language", lang},
                           {"events", doc.events.size()},
                           {"errors", errors},
                           {"warnings", warnings},
                           {"violations", subtitles::to_json(violations)}};
        std::cout << out.dump(2) << "\n";
    } else {
        for (const auto& v : violations)
            std::cout << file.string() << ": " << subtitles::to_string(v.severity) << ": [" << v.rule << "] "
                      << v.message << "\n";
        std::cout << file.string() << ": " << doc.events.size() << " events, " << errors << " errors, " << warnings
                  << " warnings (" << lang << " rules)\n";
    }
    return errors > 0 ? 1 : 0;
}

}  // namespace

void register_subs_commands(CLI::App& app) {
    auto* subs = app.add_subcommand("subs", "Subtitle files: convert between formats, check timing rules");
    subs->require_subcommand(1);

    struct ConvertArgs {
        std::string in, out, lang;
        double fps = 30;
    };
    auto c = std::make_shared<ConvertArgs>();
    auto* convert_cmd = subs->add_subcommand("convert", "Convert IN to OUT; formats from the extensions (.srt .vtt .ass .ttml)");
    convert_cmd->add_option("IN", c->in, "input subtitle file")->required();
    convert_cmd->add_option("OUT", c->out, "output subtitle file")->required();
    convert_cmd->add_option("--lang", c->lang, "language of the text (BCP-47); default: from the file or its name");
    convert_cmd->add_option("--fps", c->fps, "frame rate for TTML frame times")->capture_default_str();
    convert_cmd->callback([c] { convert(c->in, c->out, c->lang, c->fps); });

    struct CheckArgs {
        std::string file, lang, config;
        double fps = 30;
        bool json = false;
    };
    auto k = std::make_shared<CheckArgs>();
    auto* check_cmd = subs->add_subcommand("check", "Check a subtitle file against the timing and layout rules; exit 1 on errors");
    check_cmd->add_option("FILE", k->file, "subtitle file")->required();
    check_cmd->add_option("--lang", k->lang, "language whose rules apply (BCP-47); default: from the file or its name");
    check_cmd->add_option("--fps", k->fps, "video frame rate, for the minimum gap in frames")->capture_default_str();
    check_cmd->add_option("--config", k->config, "TOML file with [subtitles.rules.*] overrides");
    check_cmd->add_flag("--json", k->json, "print the findings as JSON");
    check_cmd->callback([k] { g_command_exit_code = check(k->file, k->lang, k->fps, k->json, k->config); });

    register_subs_extract_command(*subs);
}

void register_languages_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("languages", "List the languages dramaloc knows and their subtitle rules");
    cmd->callback([] {
        for (const auto& l : known_languages()) {
            const auto r = subtitles::rules_for_language(l.bcp47);
            std::printf("%-4s %-4s %-12s %-7s %s %2d chars/line %4.1f chars/s\n", l.bcp47.c_str(), l.iso639_2.c_str(),
                        l.english_name.c_str(), to_string(l.script), l.right_to_left ? "rtl" : "ltr",
                        r.max_chars_per_line, r.max_chars_per_second);
        }
    });
}

}  // namespace dramaloc::cli
