#pragma once
// Shared pieces of the subtitle readers and writers (internal, not installed).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/language.hpp"
#include "core/time.hpp"
#include "subtitles/format.hpp"

namespace dramaloc::subtitles::detail {

// Walks a text line by line, accepting LF, CRLF and lone CR endings, counting lines
// from 1 for error messages. Never copies the text.
class LineCursor {
public:
    explicit LineCursor(std::string_view text) : text_(text) {}
    bool done() const noexcept { return pos_ >= text_.size() && !pending_; }
    // The next line without its ending; nullopt at the end of the text.
    std::optional<std::string_view> next();
    // The next line without consuming it.
    std::optional<std::string_view> peek();
    std::size_t line_number() const noexcept { return line_; }  // of the line last returned

private:
    std::optional<std::string_view> read();
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 0;
    std::optional<std::string_view> pending_;
};

// Validates the input (binary/UTF-8) and strips a UTF-8 byte order mark.
std::string_view checked_text(std::string_view text, const std::string& source_name);

// "name:LINE: message" as an InputError.
[[noreturn]] void fail_at(const std::string& source_name, std::size_t line, const std::string& message);

// Shortens user text quoted in an error message.
std::string quote_excerpt(std::string_view s, std::size_t max_bytes = 60);

// Parses "H…H:MM:SS<sep>fff" where fff has 1–3 digits (a decimal fraction) and
// hours may be omitted when `hours_optional`. Any of `separators` is accepted.
std::optional<TimeMs> parse_clock(std::string_view s, std::string_view separators, bool hours_optional);

// The timing line of an SRT or WebVTT block, "start --> end" with anything after the end
// time (SRT coordinates, WebVTT cue settings) ignored; either ',' or '.' before the
// milliseconds. nullopt when there is no arrow or a time does not parse.
struct CueTiming {
    TimeMs start = 0;
    TimeMs end = 0;
};
std::optional<CueTiming> parse_cue_timing(std::string_view line, bool hours_optional);

// Writers: the "N\nstart --> end\n" head of an SRT or WebVTT block.
void append_cue_head(std::string& out, int number, const SubtitleEvent& event, char ms_separator);

// Escapes & < > for WebVTT/XML text.
std::string escape_markup(std::string_view s, bool escape_quotes = false);

// Final clean-up of a reader's display lines: strips the RTL wrapping our writers
// add, trims, NFC-normalises, drops empty lines at either end.
std::vector<std::string> clean_display_lines(std::vector<std::string> lines);

// Writers: display lines with empty ones dropped and RTL wrapping applied when the
// language is right-to-left.
std::vector<std::string> display_lines_for_output(const SubtitleEvent& event, bool right_to_left);

std::string to_lower_ascii(std::string_view s);

// One reader and one writer per format (srt.cpp, vtt.cpp, ass.cpp, ttml_*.cpp). Readers
// get text already checked by checked_text().
SubtitleDocument parse_srt(std::string_view text, const std::string& source_name);
SubtitleDocument parse_vtt(std::string_view text, const std::string& source_name);
SubtitleDocument parse_ass(std::string_view text, const std::string& source_name);
SubtitleDocument parse_ttml(std::string_view text, const std::string& source_name);
std::string write_srt(const SubtitleDocument& doc, const WriteOptions& options);
std::string write_vtt(const SubtitleDocument& doc, const WriteOptions& options);
std::string write_ass(const SubtitleDocument& doc, const WriteOptions& options);
std::string write_ttml(const SubtitleDocument& doc, const WriteOptions& options);

}  // namespace dramaloc::subtitles::detail
