#pragma once
// Delivery profiles: what a platform accepts, as data. A profile is a TOML file, versioned,
// checked whole against its schema when it is read (an unknown key, a wrong type, a value out
// of range is refused with the file and the line). Built-in profiles ship inside dramaloc
// (src/delivery/profiles/*.toml); a series may add its own in profiles/NAME.toml beside its
// series file, and one of the same name replaces the built-in one for that series.
// docs/delivery.md describes every key.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dramaloc::delivery {

// The part of a vertical picture a platform's interface leaves visible, as fractions of the
// height (top, bottom) and the width (left, right) it covers.
struct SafeArea {
    double top = 0, bottom = 0, left = 0, right = 0;
};

struct PictureSpec {
    std::string mode = "copy";       // "copy": stream copy when the source qualifies, else encoded; "encode": always
    std::string codec = "h264";
    int width = 1080, height = 1920; // what an encoded picture is scaled to; a copied one must already be this size
    int fps = 0;                     // 0: the source's
    int max_bitrate_kbps = 0;        // 0: no ceiling; a source above it is encoded
    std::string text = "as-source";  // "textless" (burned-in source text removed), "burned" (the target language), "as-source"
    SafeArea safe_area;
};

struct LoudnessSpec {
    std::string method = "integrated";  // "integrated" (EBU R128 programme) or "speech-gated" (over our detected speech)
    double target = -16;                // LUFS (integrated) or LKFS (speech-gated)
    double tolerance = 1;               // ± LU
    double true_peak_max = -1;          // dBTP
};

struct AudioSpec {
    std::string layout = "mixed";  // "mixed": the dub mix; "stems": the mix, the M&E stem and the dialogue stem as files
    std::string format = "aac";    // "aac" (in the MP4) or "wav" (files beside it)
    int sample_rate = 48000;
    int bit_depth = 16;            // wav: 16 or 24
    int bitrate_kbps = 192;        // aac
    LoudnessSpec loudness;
};

struct SubtitleSpec {
    std::vector<std::string> formats;  // "srt", "vtt", "ttml" (IMSC 1.1 Text); none: no sidecar
    bool burned = false;               // the target language burned into the picture
    int max_chars_per_line = 0;        // 0: the language's own rule
    double max_cps = 0;                // reading speed, characters a second; 0: the language's own
    int max_lines = 2;
};

struct NamingSpec {
    std::string pattern = "{series}_{episode:03}_{lang}.{ext}";
    std::string folder = "{series}/{lang}";
};

struct Profile {
    std::string name;
    int version = 1;
    std::string description;
    std::string origin;  // "built-in", or the file it was read from
    PictureSpec picture;
    AudioSpec audio;
    SubtitleSpec subtitles;
    NamingSpec naming;
    std::map<std::string, SubtitleSpec> subtitles_by_language;  // [languages.TAG]: what differs for one language

    // The subtitle rules for `language`: its own table when the profile has one.
    const SubtitleSpec& subtitles_for(const std::string& language) const;
    nlohmann::json to_json() const;
};

// Reads a profile from TOML text; `source` names it in messages. Throws InvalidConfig (a
// ConfigError) naming the file, the line and the key for what the schema refuses, and for a
// naming pattern with an unknown field.
Profile parse_profile(const std::string& text, const std::string& source);
Profile load_profile(const std::filesystem::path& file);

// The built-in profiles, by name.
const std::vector<Profile>& builtin_profiles();

// Every profile a series can use: the built-in ones, then profiles/*.toml beside the series
// file (`series_dir`; empty: none), which replace a built-in one of the same name.
std::vector<Profile> available_profiles(const std::filesystem::path& series_dir);

// `name_or_file`: a profile's name, or a path to a .toml file. Throws UsageError listing the
// names there are when there is no such profile.
Profile find_profile(const std::string& name_or_file, const std::filesystem::path& series_dir);

// A file or folder name from a naming pattern. Fields: {series}, {episode} (the episode's
// name), {episode:03} (its number in the series, zero-padded to that width), {lang}, {ext},
// {profile}. Throws ConfigError for an unknown field or an unclosed brace.
struct NameFields {
    std::string series, episode, lang, ext, profile;
    int number = 0;  // 1-based, in the series' order
};
std::string expand_name(const std::string& pattern, const NameFields& fields);
// Throws ConfigError when the pattern cannot be expanded (checked once, when it is read).
void check_pattern(const std::string& pattern, const std::string& where);

}  // namespace dramaloc::delivery
