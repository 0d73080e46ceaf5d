#pragma once
// Where an episode's burned-in subtitles sit: the rows where subtitle-like text
// (text_mask.hpp) comes and goes, over frames spread across the whole episode; text that
// never changes (logos, watermarks, a clock) is ignored, and so is text that appears only
// once. Detection reads the masks the episode's one decode kept (scan.hpp), so it costs no
// decoding of its own, whatever the key frame spacing.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace dramaloc::hardsubs {

// Rows [y0, y1) of the coded picture, across its whole width.
struct SubtitleBand {
    int y0 = 0;
    int y1 = 0;
    int height() const { return y1 - y0; }
    bool operator==(const SubtitleBand&) const = default;
};

std::string to_string(const SubtitleBand& band);  // "1380:1620"

// Parses "y0:y1" (the --subtitle-band option). Throws InputError on bad syntax or y0 >= y1.
SubtitleBand parse_band(std::string_view text);

// Throws InputError when the band does not lie inside a frame of this size.
void check_band_inside(const SubtitleBand& band, int frame_width, int frame_height, const std::string& what);

struct BandDetection {
    std::optional<SubtitleBand> band;  // nullopt: no burned-in subtitles found
    int frames_examined = 0;
    int frames_with_text = 0;          // examined frames with subtitle-like text in the band
};

class MaskHistory;
// The band in frames of `frame_height` rows, from the masks of `history` (half resolution).
BandDetection detect_band(const MaskHistory& history, int frame_height);

}  // namespace dramaloc::hardsubs
