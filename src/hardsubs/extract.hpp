#pragma once
// Burned-in subtitles → timed text. One decode of the band only; on every frame a cheap,
// subsampled text mask (text_mask.hpp) tells whether text is on screen and whether it is
// the same text as on the frame before. Each stretch of unchanged text is one segment; its
// text is read by OCR once, from the AND of a few full-size masks of the segment (what
// stays put is the text, what moves is background). Consecutive segments that read alike
// are merged, and results with no letter or ideograph are dropped.
//
// Timing: every frame is looked at (H.264 must be decoded frame by frame anyway, and the
// subsampled mask of a band costs far less than decoding it), so a segment starts at the
// first frame showing its text and ends at the first frame that no longer does: exact to
// the frame, with no second pass to refine around changes.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "hardsubs/band.hpp"

namespace dramaloc::hardsubs {

struct ExtractOptions {
    std::string language = "zh";           // BCP-47 tag of the burned-in text
    std::string ocr_backend = "tesseract";
    int jobs = 0;                          // OCR workers; 0 = cores
    std::function<void(double fraction)> on_progress;  // 0..1
};

// A stretch of frames showing the same text (kept even when OCR reads nothing: removal uses it).
struct TextSegment {
    std::int64_t first_frame = 0;  // frame index (display order) of the first frame with the text
    std::int64_t end_frame = 0;    // first frame after it
    TimeMs start = 0;              // presentation time of first_frame
    TimeMs end = 0;                // presentation time of end_frame (or the stream's end)
    bool operator==(const TextSegment&) const = default;
};

struct ExtractedSubtitle {
    TimeMs start = 0;
    TimeMs end = 0;
    std::string text;
    float confidence = 0.0f;
    int segments = 1;  // text segments merged into this subtitle
    bool operator==(const ExtractedSubtitle&) const = default;
};

struct HardsubExtraction {
    SubtitleBand band;
    std::vector<TextSegment> segments;
    std::vector<ExtractedSubtitle> subtitles;
    std::int64_t frames = 0;   // frames looked at
    int ocr_calls = 0;
    int ocr_failures = 0;      // calls the engine failed on (each retried once)
    int dropped_noise = 0;     // segments whose text had no letter or ideograph
    int dropped_short = 0;     // segments too short to be a subtitle (transitions)
    std::string engine;        // OCR engine identity
};

// Throws InputError for an unreadable file or a band outside the frame, EngineError when the
// OCR engine or its model is missing, Cancelled on request.
HardsubExtraction extract_hardsubs(const std::filesystem::path& episode, const SubtitleBand& band,
                                   const ExtractOptions& options = {});

}  // namespace dramaloc::hardsubs
