#pragma once
// Burned-in subtitles → timed text. What one decode of the episode kept (scan.hpp) — the
// band's text masks in every decoded frame and a few full-resolution frames of each
// subtitle — is read here: the band is cut into segments of unchanged text (segments.hpp),
// and each segment is read by OCR once, from its own frames at full resolution, cleaned of
// the background by the text's own colour (ocr_image.hpp). A reading the engine is not sure
// of is tried again from another preparation, and the surer reading wins. Consecutive
// segments that read alike are merged, and results with no letter or ideograph are dropped.
// For Chinese, characters are cleaned up by script (ocr_text.hpp), and when the readings are
// poor, Traditional Chinese is tried and kept if it reads better.
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
#include "hardsubs/frame_samples.hpp"
#include "hardsubs/segments.hpp"

namespace dramaloc::hardsubs {

struct ExtractOptions {
    std::string language = "zh";           // BCP-47 tag of the burned-in text
    std::string ocr_backend = "tesseract";
    int jobs = 0;                          // OCR workers; 0 = cores
    std::filesystem::path pictures_dir;    // when set: every picture OCR read is kept there (PGM), to see why a line was misread
    std::function<void(double fraction)> on_progress;  // 0..1
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
    int decoded_again = 0;     // frames decoded a second time for a subtitle no kept frame showed
    std::string language;      // what the text was read as: the options' language, or zh-Hant when that read better
    std::string engine;        // OCR engine identity
};

// Reads the band's segments from the frames kept of them. `frames` is the stream's frame
// count; `engines` are the OCR workers' (one each; empty ones are leased when needed), the
// first already checked for the language.
HardsubExtraction read_segments(const FoundSegments& found, const SamplePool& samples, const SubtitleBand& band, FrameRate rate,
                                std::int64_t frames, const ExtractOptions& options, std::vector<engines::TextRecognizerLease> engines);

// The kept frames OCR reads a segment from (at most three, past its first frame when it can),
// from the frames of the pool that show the segment's text rows.
std::vector<const FrameSample*> samples_for(const FoundSegment& segment, const SamplePool& samples);

// Frame rows of a segment's text (its core's rows), for choosing and keeping samples.
SubtitleBand text_rows(const FoundSegment& segment);

}  // namespace dramaloc::hardsubs
