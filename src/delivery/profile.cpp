#include "delivery/profile.hpp"

#include <algorithm>
#include <cstdio>

#include "core/config.hpp"
#include "core/config_schema.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "delivery/builtin_profiles.hpp"

namespace dramaloc::delivery {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<ConfigKey> subtitle_keys(bool per_language) {
    const SubtitleSpec d;
    std::vector<ConfigKey> keys = {
        ConfigKey::integer("max_chars_per_line", 0, 0, 200).when_unset("the language's own rule"),
        ConfigKey::number("max_cps", 0, 0, 100).when_unset("the language's own rule"),
        ConfigKey::integer("max_lines", d.max_lines, 1, 4),
    };
    if (!per_language) {
        keys.push_back(ConfigKey::strings("formats"));
        keys.push_back(ConfigKey::boolean("burned", d.burned));
    }
    return keys;
}

const ConfigSchema& profile_schema() {
    static const ConfigSchema schema = [] {
        const PictureSpec p;
        const AudioSpec a;
        const NamingSpec n;
        std::vector<ConfigTable> tables = {
            {"profile",
             {ConfigKey::text("name").when_unset("required"), ConfigKey::integer("version", 1, 1, 1'000'000),
              ConfigKey::text("description")}},
            {"picture",
             {ConfigKey::choice("mode", p.mode, {"copy", "encode"}), ConfigKey::choice("codec", p.codec, {"h264"}),
              ConfigKey::integer("width", p.width, 144, 4320), ConfigKey::integer("height", p.height, 144, 7680),
              ConfigKey::integer("fps", p.fps, 0, 120), ConfigKey::integer("max_bitrate_kbps", p.max_bitrate_kbps, 0, 200'000),
              ConfigKey::choice("text", p.text, {"as-source", "textless", "burned"}),
              ConfigKey::number("safe_top", 0, 0, 0.5), ConfigKey::number("safe_bottom", 0, 0, 0.5),
              ConfigKey::number("safe_left", 0, 0, 0.5), ConfigKey::number("safe_right", 0, 0, 0.5)}},
            {"audio",
             {ConfigKey::choice("layout", a.layout, {"mixed", "stems"}), ConfigKey::choice("format", a.format, {"aac", "wav"}),
              ConfigKey::integer("sample_rate", a.sample_rate, 8000, 192'000), ConfigKey::integer("bit_depth", a.bit_depth, 16, 24),
              ConfigKey::integer("bitrate_kbps", a.bitrate_kbps, 32, 512),
              ConfigKey::choice("loudness", a.loudness.method, {"integrated", "speech-gated"}),
              ConfigKey::number("target", a.loudness.target, -40, -5), ConfigKey::number("tolerance", a.loudness.tolerance, 0.1, 5),
              ConfigKey::number("true_peak_max", a.loudness.true_peak_max, -10, 0)}},
            {"subtitles", subtitle_keys(false)},
            {"naming", {ConfigKey::text("pattern", n.pattern), ConfigKey::text("folder", n.folder)}},
            {"languages.*", subtitle_keys(true), {}, false, {}, {}, language_names()},
        };
        return ConfigSchema("delivery profile", std::move(tables), "docs/delivery.md");
    }();
    return schema;
}

void read_subtitles(SubtitleSpec& s, const Config& c, const std::string& table) {
    s.max_chars_per_line = static_cast<int>(c.get_int_or(table + ".max_chars_per_line", s.max_chars_per_line));
    s.max_cps = c.get_double_or(table + ".max_cps", s.max_cps);
    s.max_lines = static_cast<int>(c.get_int_or(table + ".max_lines", s.max_lines));
}

void read_picture(PictureSpec& p, const Config& c) {
    p.mode = c.get_string_or("picture.mode", p.mode);
    p.codec = c.get_string_or("picture.codec", p.codec);
    p.width = static_cast<int>(c.get_int_or("picture.width", p.width));
    p.height = static_cast<int>(c.get_int_or("picture.height", p.height));
    p.fps = static_cast<int>(c.get_int_or("picture.fps", p.fps));
    p.max_bitrate_kbps = static_cast<int>(c.get_int_or("picture.max_bitrate_kbps", p.max_bitrate_kbps));
    p.text = c.get_string_or("picture.text", p.text);
    p.safe_area = {c.get_double_or("picture.safe_top", 0), c.get_double_or("picture.safe_bottom", 0), c.get_double_or("picture.safe_left", 0),
                   c.get_double_or("picture.safe_right", 0)};
}

void read_audio(AudioSpec& a, const Config& c) {
    a.layout = c.get_string_or("audio.layout", a.layout);
    a.format = c.get_string_or("audio.format", a.format);
    a.sample_rate = static_cast<int>(c.get_int_or("audio.sample_rate", a.sample_rate));
    a.bit_depth = static_cast<int>(c.get_int_or("audio.bit_depth", a.bit_depth));
    a.bitrate_kbps = static_cast<int>(c.get_int_or("audio.bitrate_kbps", a.bitrate_kbps));
    a.loudness.method = c.get_string_or("audio.loudness", a.loudness.method);
    a.loudness.target = c.get_double_or("audio.target", a.loudness.target);
    a.loudness.tolerance = c.get_double_or("audio.tolerance", a.loudness.tolerance);
    a.loudness.true_peak_max = c.get_double_or("audio.true_peak_max", a.loudness.true_peak_max);
}

// What the schema cannot say: combinations that make no package.
void check_combinations(const Profile& p, const Config& c) {
    const auto refuse = [&](const std::string& key, const std::string& why) { throw InvalidConfig({c.where(key) + ": " + why}); };
    if (p.name.empty() || p.name.find_first_of("/\\ ") != std::string::npos)
        refuse("profile.name", "a profile needs a name without spaces or slashes ([profile] name = \"phone-app\")");
    for (const auto& f : p.subtitles.formats)
        if (f != "srt" && f != "vtt" && f != "ttml") refuse("subtitles.formats", "unknown subtitle format \"" + f + "\"; use srt, vtt or ttml");
    if (p.subtitles.burned && p.picture.text == "textless")
        refuse("subtitles.burned", "a textless picture cannot have subtitles burned in; set [picture] text = \"burned\"");
    if (p.picture.text == "burned" && !p.subtitles.burned)
        refuse("picture.text", "text = \"burned\" needs [subtitles] burned = true");
    if (p.audio.format == "aac" && p.audio.layout == "stems")
        refuse("audio.layout", "stems are delivered as WAV files; set [audio] format = \"wav\"");
    if (p.picture.safe_area.top + p.picture.safe_area.bottom >= 0.8 || p.picture.safe_area.left + p.picture.safe_area.right >= 0.8)
        refuse("picture.safe_top", "the safe area leaves less than a fifth of the picture");
    check_pattern(p.naming.pattern, c.where("naming.pattern"));
    check_pattern(p.naming.folder, c.where("naming.folder"));
    if (p.naming.pattern.find("{ext}") == std::string::npos) refuse("naming.pattern", "the file-name pattern needs {ext}");
    if (p.naming.pattern.find("{lang}") == std::string::npos && p.naming.folder.find("{lang}") == std::string::npos)
        refuse("naming.pattern", "the names need {lang} in the pattern or the folder, or languages overwrite each other");
    if (p.naming.pattern.find("{episode") == std::string::npos)
        refuse("naming.pattern", "the file-name pattern needs {episode} or {episode:03}, or episodes overwrite each other");
}

}  // namespace

const SubtitleSpec& Profile::subtitles_for(const std::string& language) const {
    if (const auto it = subtitles_by_language.find(language); it != subtitles_by_language.end()) return it->second;
    const std::string primary = language.substr(0, language.find_first_of("-_"));
    if (const auto it = subtitles_by_language.find(primary); it != subtitles_by_language.end()) return it->second;
    return subtitles;
}

json Profile::to_json() const {
    json by_language = json::object();
    for (const auto& [tag, s] : subtitles_by_language)
        by_language[tag] = {{"max_chars_per_line", s.max_chars_per_line}, {"max_cps", s.max_cps}, {"max_lines", s.max_lines}};
    const auto& sa = picture.safe_area;
    return {{"name", name},
            {"version", version},
            {"description", description},
            {"origin", origin},
            {"picture",
             {{"mode", picture.mode}, {"codec", picture.codec}, {"width", picture.width}, {"height", picture.height}, {"fps", picture.fps},
              {"max_bitrate_kbps", picture.max_bitrate_kbps}, {"text", picture.text},
              {"safe_area", {{"top", sa.top}, {"bottom", sa.bottom}, {"left", sa.left}, {"right", sa.right}}}}},
            {"audio",
             {{"layout", audio.layout}, {"format", audio.format}, {"sample_rate", audio.sample_rate}, {"bit_depth", audio.bit_depth},
              {"bitrate_kbps", audio.bitrate_kbps},
              {"loudness", {{"method", audio.loudness.method}, {"target", audio.loudness.target}, {"tolerance", audio.loudness.tolerance},
                            {"true_peak_max", audio.loudness.true_peak_max}}}}},
            {"subtitles",
             {{"formats", subtitles.formats}, {"burned", subtitles.burned}, {"max_chars_per_line", subtitles.max_chars_per_line},
              {"max_cps", subtitles.max_cps}, {"max_lines", subtitles.max_lines}, {"languages", by_language}}},
            {"naming", {{"pattern", naming.pattern}, {"folder", naming.folder}}}};
}

Profile parse_profile(const std::string& text, const std::string& source) {
    const Config c = Config::parse(text, source, profile_schema());
    Profile p;
    p.origin = source;
    p.name = c.get_string_or("profile.name", "");
    p.version = static_cast<int>(c.get_int_or("profile.version", p.version));
    p.description = c.get_string_or("profile.description", "");
    read_picture(p.picture, c);
    read_audio(p.audio, c);
    p.subtitles.formats = c.get_strings("subtitles.formats").value_or(std::vector<std::string>{});
    p.subtitles.burned = c.get_bool_or("subtitles.burned", p.subtitles.burned);
    read_subtitles(p.subtitles, c, "subtitles");
    for (const auto& tag : c.keys("languages")) {
        SubtitleSpec s = p.subtitles;  // what a language does not say is the profile's
        read_subtitles(s, c, "languages." + toml_key(tag));
        p.subtitles_by_language[tag] = s;
    }
    p.naming.pattern = c.get_string_or("naming.pattern", p.naming.pattern);
    p.naming.folder = c.get_string_or("naming.folder", p.naming.folder);
    check_combinations(p, c);
    return p;
}

Profile load_profile(const fs::path& file) { return parse_profile(read_text_file(file), file.string()); }

const std::vector<Profile>& builtin_profiles() {
    static const std::vector<Profile> profiles = [] {
        std::vector<Profile> out;
        for (const auto& [file, text] : builtin_profile_files()) {
            Profile p = parse_profile(text, "built-in " + file);
            p.origin = "built-in";
            out.push_back(std::move(p));
        }
        return out;
    }();
    return profiles;
}

std::vector<Profile> available_profiles(const fs::path& series_dir) {
    std::vector<Profile> out = builtin_profiles();
    const fs::path folder = series_dir / "profiles";
    std::error_code ec;
    if (series_dir.empty() || !fs::is_directory(folder, ec)) return out;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.path().extension() == ".toml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        Profile p = load_profile(file);
        const auto same = std::find_if(out.begin(), out.end(), [&](const Profile& q) { return q.name == p.name; });
        if (same != out.end()) *same = std::move(p);
        else out.push_back(std::move(p));
    }
    return out;
}

Profile find_profile(const std::string& name_or_file, const fs::path& series_dir) {
    if (name_or_file.size() > 5 && name_or_file.compare(name_or_file.size() - 5, 5, ".toml") == 0) return load_profile(name_or_file);
    std::string names;
    for (auto& p : available_profiles(series_dir)) {
        if (p.name == name_or_file) return p;
        names += (names.empty() ? "" : ", ") + p.name;
    }
    throw UsageError("no delivery profile \"" + name_or_file + "\"; there are " + names + " (dramaloc profiles), or give a .toml file");
}

namespace {

// Calls `literal` for each run of text and `field` for each {name} or {name:0N}; throws
// ConfigError for an unclosed brace.
template <typename Literal, typename Field>
void walk_pattern(const std::string& pattern, Literal&& literal, Field&& field) {
    std::size_t at = 0;
    while (at < pattern.size()) {
        const std::size_t open = pattern.find('{', at);
        literal(pattern.substr(at, open == std::string::npos ? std::string::npos : open - at));
        if (open == std::string::npos) return;
        const std::size_t close = pattern.find('}', open);
        if (close == std::string::npos) throw ConfigError("naming pattern \"" + pattern + "\" has an unclosed {");
        const std::string inside = pattern.substr(open + 1, close - open - 1);
        const std::size_t colon = inside.find(':');
        field(inside.substr(0, colon), colon == std::string::npos ? std::string() : inside.substr(colon + 1));
        at = close + 1;
    }
}

bool is_width(const std::string& format) {
    return format.size() >= 2 && format.size() <= 3 && format[0] == '0' &&
           std::all_of(format.begin() + 1, format.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void check_pattern(const std::string& pattern, const std::string& where) {
    try {
        walk_pattern(pattern, [](const std::string&) {}, [&](const std::string& name, const std::string& format) {
            static const std::vector<std::string> known = {"series", "episode", "lang", "ext", "profile"};
            if (std::find(known.begin(), known.end(), name) == known.end())
                throw ConfigError("unknown field {" + name + "}; use {series}, {episode}, {episode:03}, {lang}, {ext} or {profile}");
            if (!format.empty() && !(name == "episode" && is_width(format)))
                throw ConfigError("{" + name + ":" + format + "}: only {episode:0N} takes a width");
        });
        if (pattern.find("..") != std::string::npos || (!pattern.empty() && pattern.front() == '/'))
            throw ConfigError("a name may not climb out of the delivery folder");
    } catch (const ConfigError& e) {
        throw InvalidConfig({where + ": " + e.what()});
    }
}

std::string expand_name(const std::string& pattern, const NameFields& f) {
    std::string out;
    walk_pattern(pattern, [&](const std::string& text) { out += text; }, [&](const std::string& name, const std::string& format) {
        if (name == "series") out += f.series;
        else if (name == "lang") out += f.lang;
        else if (name == "ext") out += f.ext;
        else if (name == "profile") out += f.profile;
        else if (name == "episode" && format.empty()) out += f.episode;
        else if (name == "episode" && is_width(format)) {
            char buffer[16];
            std::snprintf(buffer, sizeof buffer, "%0*d", std::stoi(format.substr(1)), f.number);
            out += buffer;
        } else throw ConfigError("naming pattern \"" + pattern + "\": unknown field {" + name + "}");
    });
    return out;
}

}  // namespace dramaloc::delivery
