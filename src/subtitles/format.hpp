#pragma once
// Subtitle files: SRT, WebVTT, ASS and TTML (written as IMSC 1.1 Text profile) read and written
// through one document type. Readers are lenient where real files vary (CRLF, a BOM,
// missing numbers, missing final newline) and strict where guessing would be wrong (a
// broken timestamp is an InputError naming the file and line, with the expected form).
// Readers reduce styled text to plain display lines; see each format's .cpp for what
// markup is understood and what is dropped.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/script.hpp"
#include "core/time.hpp"

namespace dramaloc::subtitles {

enum class SubtitleFormat { Srt, WebVtt, Ass, Ttml };

const char* to_string(SubtitleFormat format) noexcept;  // "srt", "vtt", "ass", "ttml"
const char* file_extension(SubtitleFormat format) noexcept;  // ".srt", ".vtt", ".ass", ".ttml"

// By extension, case-insensitive: .srt, .vtt, .ass/.ssa, .ttml/.dfxp/.xml.
// Throws InputError naming the file and listing the supported extensions.
SubtitleFormat format_from_path(const std::filesystem::path& path);

// From a name such as "srt", "vtt", "webvtt", "ass", "ttml"; nullopt when unknown.
std::optional<SubtitleFormat> format_from_name(std::string_view name);

struct SubtitleDocument {
    std::vector<SubtitleEvent> events;  // in file order
    std::string language;               // BCP-47 when the file says (TTML xml:lang, ASS Language), else empty
    int video_width = 0;                // ASS PlayResX / TTML tts:extent when given, else 0
    int video_height = 0;
};

struct WriteOptions {
    std::string language = "en";  // BCP-47: picks RTL handling, default font, xml:lang
    int video_width = 1080;        // vertical drama frame
    int video_height = 1920;
    std::string font_name;         // empty: "Noto Sans CJK SC" for CJK, "Noto Sans" otherwise
    int font_size = 0;             // in video pixels; 0: sized so a full line fits the width
    FrameRate frame_rate{30, 1};   // TTML ttp:frameRate
};

// Largest subtitle file read_subtitles accepts; real ones are well under 1 MB.
inline constexpr std::size_t kMaxSubtitleFileBytes = 16u << 20;

// Parses `text`. `source_name` (usually the file name) prefixes every error message.
// Throws InputError on binary/non-UTF-8 input and on malformed content.
SubtitleDocument parse_subtitles(std::string_view text, SubtitleFormat format, const std::string& source_name);

// Reads and parses a file, format from its extension.
SubtitleDocument read_subtitles(const std::filesystem::path& path);

// Serialises `doc` (events in the order given). doc.language is ignored: options.language rules.
std::string to_string(const SubtitleDocument& doc, SubtitleFormat format, const WriteOptions& options = {});

// Writes atomically (a failure leaves no partial file); format from the extension.
void write_subtitles(const std::filesystem::path& path, const SubtitleDocument& doc, const WriteOptions& options = {});

// The font and size the writers use for `options` (resolves the defaults above).
std::string resolved_font_name(const WriteOptions& options);
int resolved_font_size(const WriteOptions& options);

}  // namespace dramaloc::subtitles
