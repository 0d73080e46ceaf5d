#include "subtitles/format.hpp"

#include <algorithm>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "subtitles/format_util.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::subtitles {

const char* to_string(SubtitleFormat format) noexcept {
    switch (format) {
        case SubtitleFormat::Srt: return "srt";
        case SubtitleFormat::WebVtt: return "vtt";
        case SubtitleFormat::Ass: return "ass";
        case SubtitleFormat::Ttml: return "ttml";
    }
    return "srt";
}

const char* file_extension(SubtitleFormat format) noexcept {
    switch (format) {
        case SubtitleFormat::Srt: return ".srt";
        case SubtitleFormat::WebVtt: return ".vtt";
        case SubtitleFormat::Ass: return ".ass";
        case SubtitleFormat::Ttml: return ".ttml";
    }
    return ".srt";
}

std::optional<SubtitleFormat> format_from_name(std::string_view name) {
    const std::string n = detail::to_lower_ascii(name);
    if (n == "srt" || n == "subrip") return SubtitleFormat::Srt;
    if (n == "vtt" || n == "webvtt") return SubtitleFormat::WebVtt;
    if (n == "ass" || n == "ssa") return SubtitleFormat::Ass;
    if (n == "ttml" || n == "dfxp" || n == "imsc" || n == "imsc1" || n == "xml") return SubtitleFormat::Ttml;
    return std::nullopt;
}

SubtitleFormat format_from_path(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    if (!ext.empty()) ext.erase(0, 1);
    if (auto f = format_from_name(ext); f && ext != "subrip" && ext != "webvtt" && ext != "imsc" && ext != "imsc1")
        return *f;
    throw InputError(path.string() + ": unknown subtitle format \"" + path.extension().string() +
                     "\"; use one of .srt, .vtt, .ass, .ssa, .ttml, .dfxp, .xml");
}

SubtitleDocument parse_subtitles(std::string_view text, SubtitleFormat format, const std::string& source_name) {
    text = detail::checked_text(text, source_name);
    switch (format) {
        case SubtitleFormat::Srt: return detail::parse_srt(text, source_name);
        case SubtitleFormat::WebVtt: return detail::parse_vtt(text, source_name);
        case SubtitleFormat::Ass: return detail::parse_ass(text, source_name);
        case SubtitleFormat::Ttml: return detail::parse_ttml(text, source_name);
    }
    throw InputError(source_name + ": unsupported subtitle format");
}

SubtitleDocument read_subtitles(const std::filesystem::path& path) {
    const SubtitleFormat format = format_from_path(path);
    // An empty file is a valid file with no subtitles (an episode without dialogue).
    const std::string text = read_text_file(path, kMaxSubtitleFileBytes, EmptyFile::Accept);
    return parse_subtitles(text, format, path.string());
}

std::string to_string(const SubtitleDocument& doc, SubtitleFormat format, const WriteOptions& options) {
    switch (format) {
        case SubtitleFormat::Srt: return detail::write_srt(doc, options);
        case SubtitleFormat::WebVtt: return detail::write_vtt(doc, options);
        case SubtitleFormat::Ass: return detail::write_ass(doc, options);
        case SubtitleFormat::Ttml: return detail::write_ttml(doc, options);
    }
    return {};
}

void write_subtitles(const std::filesystem::path& path, const SubtitleDocument& doc, const WriteOptions& options) {
    write_file_atomically(path, to_string(doc, format_from_path(path), options));
}

std::string resolved_font_name(const WriteOptions& options) {
    if (!options.font_name.empty()) return options.font_name;
    // Noto covers every script we localize into (fonts-noto-core / fonts-noto-cjk);
    // the CJK face also holds Latin, so mixed lines stay in one font.
    return is_cjk_language(options.language) ? "Noto Sans CJK SC" : "Noto Sans";
}

int resolved_font_size(const WriteOptions& options) {
    if (options.font_size > 0) return options.font_size;
    // A full line must fit between the side margins (5% each): 16 full-width CJK
    // characters are ~16 em; 42 proportional Latin characters average ~0.5 em each.
    const double usable = std::max(1, options.video_width) * 0.90;
    const double ems_per_line = is_cjk_language(options.language) ? 17.0 : 22.0;
    return std::max(8, static_cast<int>(usable / ems_per_line));
}

}  // namespace dramaloc::subtitles
