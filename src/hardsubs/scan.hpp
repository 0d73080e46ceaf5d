#pragma once
// One decode of an episode for its burned-in subtitles: frames in order, whatever the key
// frame spacing (no seeking), without the frames no other frame refers to. Each decoded
// frame becomes a half-resolution text mask read straight off its YUV planes, kept in a
// MaskHistory (a few kilobytes a frame). The band is then found in those masks
// (band.hpp) and read out of them (extract.hpp): finding and reading cost one decode.
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
};

// Throws InputError for an unreadable file, a file without video or a band outside the
// frame, EngineError when the OCR engine or its model is missing (before decoding),
// Cancelled on request.
HardsubScan scan_hardsubs(const std::filesystem::path& episode, const ScanOptions& options);

}  // namespace dramaloc::hardsubs
