#pragma once
// One decode of an episode for its burned-in subtitles: frames in order, whatever the key
// frame spacing (no seeking), without the frames no other frame refers to. Each decoded
// frame becomes a half-resolution text mask read straight off its YUV planes (text_mask.hpp),
// kept in a MaskHistory (a few kilobytes a frame), and a few frames of each subtitle are kept
// at full resolution for OCR (frame_samples.hpp).
//
// The band is found in the masks (band.hpp). While the decode goes on, the band found so far
// decides which rows of which frames are kept: whole frames every few frames until it is
// clear where the subtitles are, then the band's rows of each subtitle's first frames. When
// the band found at the end holds a subtitle no kept frame shows (rare: subtitles that moved
// late in the episode), those frames are decoded again. Then the band is read (extract.hpp).
#include <filesystem>
#include <functional>
#include <optional>

#include "hardsubs/band.hpp"
#include "hardsubs/extract.hpp"

namespace dramaloc::hardsubs {

struct ScanOptions {
    std::optional<SubtitleBand> band;  // where the subtitles are, when known: no detection
    bool read_text = true;             // false: find the band only (no OCR engine needed)
    ExtractOptions extract;            // language, OCR backend and workers; progress of the whole scan
};

struct HardsubScan {
    BandDetection detection;                      // with the given band when one was given
    std::optional<HardsubExtraction> extraction;  // when a band was found or given and read_text
    std::size_t mask_bytes = 0;                   // memory the masks took (bench/)
    std::size_t sample_bytes = 0;                 // memory the full-resolution samples took at the end (bench/)
};

// Throws InputError for an unreadable file, a file without video or a band outside the
// frame, EngineError when the OCR engine or its model is missing (before decoding),
// Cancelled on request.
HardsubScan scan_hardsubs(const std::filesystem::path& episode, const ScanOptions& options);

// The same, for one question at a time: the band alone (no OCR), or the text of a given band.
BandDetection detect_subtitle_band(const std::filesystem::path& episode);
HardsubExtraction extract_hardsubs(const std::filesystem::path& episode, const SubtitleBand& band, const ExtractOptions& options = {});

}  // namespace dramaloc::hardsubs
