#pragma once
// Burned-in subtitles → timed text. The episode is decoded once (scan.hpp); in every decoded
// frame the half-resolution text mask of the band (text_mask.hpp) tells whether text is on
// screen and whether it is the same text as in the frame before. Each stretch of unchanged
// text is one segment; its text is read by OCR once, from the AND of a few masks of the
// segment (what stays put is the text, what moves is background), scaled to the line height
// OCR reads best (ocr_image.hpp). Consecutive segments that read alike are merged, and
// results with no letter or ideograph are dropped. For Chinese, a reading that is mostly
// not Han characters is tried again at another scale, and the reading with more Han wins.
//
// Timing: frames that no other frame refers to are not decoded (about half the work); a
// segment starts just after the last decoded frame without its text and ends at the first
// decoded frame without it, so edges are within a frame of exact, erring on the side of
// covering the text (removal relies on that).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "engines/ocr.hpp"
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
    std::int64_t frames = 0;   // frames in the video stream
    std::int64_t frames_decoded = 0;  // of those, decoded and looked at
    int ocr_calls = 0;
    int ocr_failures = 0;      // calls the engine failed on (each retried once)
    int dropped_noise = 0;     // segments whose text had no letter or ideograph
    int dropped_short = 0;     // segments too short to be a subtitle (transitions)
    std::string engine;        // OCR engine identity
};

// Decodes the episode once and reads the band (scan.hpp with the band given).
// Throws InputError for an unreadable file or a band outside the frame, EngineError when the
// OCR engine or its model is missing, Cancelled on request.
HardsubExtraction extract_hardsubs(const std::filesystem::path& episode, const SubtitleBand& band,
                                   const ExtractOptions& options = {});

class MaskHistory;
// Reads the band out of the masks one decode kept: segments, OCR, merging. `frames` is the
// stream's frame count; `engine` (already checked for the language) is the first OCR worker's.
HardsubExtraction read_band(const MaskHistory& history, const SubtitleBand& band, FrameRate rate, std::int64_t frames,
                            const ExtractOptions& options, engines::TextRecognizerLease engine);

}  // namespace dramaloc::hardsubs
