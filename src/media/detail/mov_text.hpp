#pragma once
// 3GPP timed text (mov_text / tx3g, 3GPP TS 26.245), the soft-subtitle format MP4 players
// support. Written directly rather than through FFmpeg's ASS-based encoder, so that event text
// reaches the file exactly as given (no ASS escaping of braces or backslashes). Internal to media/.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/script.hpp"

namespace dramaloc::media::detail {

// The TextSampleEntry fields after the sample-entry header (the track's codec extradata):
// bottom-centred white text on a transparent background, default font.
std::vector<std::uint8_t> mov_text_sample_entry();

// One sample: 16-bit big-endian byte length + UTF-8 text (empty text = nothing shown).
std::vector<std::uint8_t> mov_text_sample(std::string_view text);

// The text of one sample (style boxes after the text are ignored). Empty when malformed.
std::string mov_text_sample_text(const std::uint8_t* data, std::size_t size);

struct TimedText {
    TimeMs start = 0;
    TimeMs end = 0;
    std::string text;
};

// Samples covering [0, last end): events sorted by start, lines joined by "\n", an overlapping
// event cut at the next one's start (a text track shows one sample at a time), and empty
// samples in the gaps so every cue starts and ends exactly where asked.
std::vector<TimedText> mov_text_timeline(const std::vector<SubtitleEvent>& events);

}  // namespace dramaloc::media::detail
