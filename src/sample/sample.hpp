#pragma once
// Sample episodes: generated vertical short-drama videos with a known script, used by
// every test, the demo and the benchmarks. `make_sample(OUT.mp4, options)` writes the
// video and OUT.json, the reference (ground truth) for recognition, speaker and OCR checks:
//   {"generator": {...}, "video": {...}, "audio": {...}|null,
//    "script": <core Script JSON, English, word times>,
//    "hardsubs": {"language": "zh", "events": [<core SubtitleEvent JSON>]} | null,
//    "characters": [{"id", "name", "voice"}]}
// Same options (and the same FFmpeg/x264/espeak-ng builds) -> byte-identical files.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/script.hpp"
#include "core/time.hpp"
#include "sample/backgrounds.hpp"
#include "sample/dialogue.hpp"
#include "sample/look.hpp"

namespace dramaloc::sample {

// A second text layer that is not the subtitles: a channel caption at the top left, in Latin
// or Cyrillic letters, changing every few seconds (band detection must not take it for them).
enum class Caption { None, Latin, Cyrillic };
const char* to_string(Caption caption) noexcept;
std::optional<Caption> caption_from_string(std::string_view name) noexcept;

struct SampleOptions {
    int seconds = 30;                               // 5..3600
    int width = 1080;                               // even
    int height = 1920;                              // even
    FrameRate fps{30, 1};
    std::optional<std::string> hardsubs_language;   // "zh" burns the Chinese lines in
    Background background = Background::Plain;
    // Photographs (panned and zoomed) or video clips (cropped, looped), cut every 3-6 s
    // (picture_background.hpp); when given, `background` is not used.
    std::vector<std::filesystem::path> background_files;
    HardsubLook look;                               // how the burned-in subtitles look
    Caption caption = Caption::None;
    // Frames are drawn at this size and scaled up to width x height on encoding, as a 720p
    // master released in 1080p is; 0: drawn at the output size.
    int source_width = 0;
    int source_height = 0;
    int crf = 23;                                   // x264 quality: 23 (default) to 32 (what platforms re-encode to)
    Scene scene = Scene::Standard;                  // the standard lines, or short ones (3-8 Chinese characters)
    std::optional<double> music_db = -15.0;         // music level relative to the voices (dB); nullopt: none
    int keyframe_interval_s = 0;                    // 0: every 2 s and at scene cuts; else exactly every N s
    std::uint64_t seed = 1;                         // pauses, music, colours
    bool with_audio = true;
    std::string preset = "superfast";               // x264 preset
    std::function<void(double fraction)> on_progress;  // 0..1, called often; may be empty
};

struct SampleCharacterInfo {
    std::string id;
    std::string name;
    std::string voice;  // espeak-ng voice used for English
    bool operator==(const SampleCharacterInfo&) const = default;
};

// What OUT.json holds (also returned by make_sample).
struct SampleReference {
    int width = 0;
    int height = 0;
    FrameRate fps{30, 1};
    std::int64_t frames = 0;
    TimeMs duration_ms = 0;
    std::string background;                         // plain, striped, busy, or "files:" and the files' names
    std::string scene = "standard";
    std::optional<HardsubLook> look;                // of the burned-in subtitles, when there are some
    std::string caption = "none";
    int source_width = 0;                           // the size frames were drawn at (the output size unless upscaled)
    int source_height = 0;
    int crf = 23;
    int keyframe_interval_s = 0;
    std::uint64_t seed = 0;
    bool has_audio = false;
    std::optional<double> music_db;                 // relative to the voices; nullopt: no music
    subtitles::PixelRect logo;                      // the fixed on-screen logo
    Script script;                                  // English, what is spoken and when
    std::optional<std::string> hardsubs_language;
    std::vector<SubtitleEvent> hardsubs;            // exactly what is burned in, when
    std::optional<subtitles::PixelRect> hardsubs_area;  // union of all burned-in text
    std::vector<SampleCharacterInfo> characters;
};

struct SampleResult {
    std::filesystem::path video;
    std::filesystem::path reference;  // video with extension .json
    SampleReference contents;
};

// Throws InputError for options out of range, saying what is allowed.
void validate_options(const SampleOptions& options);

// Throws InputError for bad options (saying what is allowed), EngineError when espeak-ng,
// libass or x264 are unavailable, IoError when writing fails, Cancelled on request.
// Never leaves a partial video or reference behind.
SampleResult make_sample(const std::filesystem::path& out_mp4, const SampleOptions& options);

// Reads a reference written by make_sample. Throws InputError naming the file.
SampleReference read_sample_reference(const std::filesystem::path& json_path);

// The reference path for a video path: same folder and stem, extension .json.
std::filesystem::path reference_path_for(const std::filesystem::path& video);

}  // namespace dramaloc::sample
