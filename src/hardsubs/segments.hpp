#pragma once
// Where one subtitle ends and the next begins, from the band's text masks frame by frame.
//
// A segment is a stretch of decoded frames that show the same text. What stays the same is
// the text's own strokes: its core, the pixels that were text in the segment's first frames.
// A frame continues the segment while it still holds most of the core, whatever else it
// holds: a moving camera or a cut changes the background, and with it pixels that look like
// text around the subtitle, but it does not take the subtitle's strokes away. The text has
// changed when the core is mostly gone (another line covers about a third of the old one's
// pixels, the same line nearly all of them), or when the band holds no text at all.
#include <cstddef>
#include <cstdint>
#include <vector>
#include <optional>
#include <vector>

#include "core/time.hpp"
#include "hardsubs/band.hpp"
#include "hardsubs/text_mask.hpp"

namespace dramaloc::hardsubs {

// A stretch of frames showing the same text (kept even when OCR reads nothing: removal uses it).
struct TextSegment {
    std::int64_t first_frame = 0;  // frame index (display order) of the first frame with the text
    std::int64_t end_frame = 0;    // first frame after it
    TimeMs start = 0;              // presentation time of first_frame
    TimeMs end = 0;                // presentation time of end_frame (or the stream's end)
    bool operator==(const TextSegment&) const = default;
};

class SegmentTracker {
public:
    // `min_pixels`: fewer text pixels than this in the band is no text.
    explicit SegmentTracker(std::size_t min_pixels) : min_pixels_(min_pixels) {}

    struct Open {
        std::int64_t first_frame = 0;    // the frame after the last decoded one without this text
        std::int64_t first_decoded = 0;  // the first decoded frame showing it
        int frames_decoded = 0;          // decoded frames showing it so far
        Mask core;                       // its strokes (band rows, mask resolution)
    };
    struct Closed {
        Open segment;
        std::int64_t end_frame = 0;  // the first decoded frame without it
    };

    // The next decoded frame (display order) and its band mask. Returns the segment this
    // frame closed, if any; a frame may close one segment and open the next.
    std::optional<Closed> feed(std::int64_t index, const Mask& band_mask);
    // Closes the open segment at the end of the stream.
    std::optional<Closed> finish(std::int64_t end_frame);

    const std::optional<Open>& open() const { return open_; }

private:
    std::size_t min_pixels_;
    std::optional<Open> open_;
    std::int64_t last_index_ = -1;
};

// The share of `core`'s pixels also set in `mask` (same size); 1 for an empty core.
double retained_share(const Mask& core, const Mask& mask);

class MaskHistory;

// A segment of the band as the masks show it, with what OCR needs to find its text.
struct FoundSegment {
    TextSegment segment;
    std::int64_t first_decoded = 0;  // the first decoded frame showing the text
    int frames_decoded = 0;
    Mask core;                       // its strokes, in mask pixels of the band's rows
    int core_y0 = 0;                 // the mask row of the core's first row (band.y0 / 2)
};

struct FoundSegments {
    std::vector<FoundSegment> segments;  // long enough to be subtitles
    std::vector<TextSegment> all;        // every stretch of text, transitions too (removal covers them)
};

// Every segment of the band in the masks of one decode; `frames` is the stream's frame count.
FoundSegments find_segments(const MaskHistory& history, const SubtitleBand& band, FrameRate rate, std::int64_t frames);

// Text pixels below which a band of this many mask pixels holds no text.
std::size_t min_text_pixels(int mask_width, int band_mask_rows);

}  // namespace dramaloc::hardsubs
