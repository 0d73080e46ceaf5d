#pragma once
// Removing burned-in subtitles from frames before other subtitles are burned in. Only
// frames inside a text segment of the extraction are touched; in those, the text mask of
// the band (text_mask.hpp) dilated over the outline is filled in by OpenCV's inpainting
// (Telea), or, where that is too slow for the episode, covered by a soft blurred box.
#include <cstdint>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "hardsubs/band.hpp"
#include "hardsubs/extract.hpp"

namespace dramaloc::hardsubs {

enum class RemovalMethod { Auto, Inpaint, Blur };
const char* to_string(RemovalMethod method) noexcept;
// "auto", "inpaint", "blur"; throws ConfigError otherwise.
RemovalMethod removal_method_from_string(const std::string& name);

struct RemovalOptions {
    RemovalMethod method = RemovalMethod::Auto;
    // Auto: inpaint while its mean cost per cleaned frame stays under this; blur otherwise.
    double inpaint_budget_ms = 40.0;
    int inpaint_radius = 3;
    int calibration_frames = 8;  // Auto decides after this many cleaned frames
};

struct RemovalReport {
    std::string method;            // what was used: "inpaint", "blur", or "inpaint then blur"
    std::int64_t frames_seen = 0;
    std::int64_t frames_cleaned = 0;
    double inpaint_ms_per_frame = 0;  // measured mean over inpainted frames (0 if none)
    double blur_ms_per_frame = 0;
};

// One object per transcode (one thread).
class HardsubRemover {
public:
    HardsubRemover(SubtitleBand band, std::vector<TextSegment> segments, RemovalOptions options = {});

    // Cleans frame `index` in place (packed RGB24 of the coded size). Returns false, and
    // leaves every byte as it was, for frames outside the segments.
    bool clean(std::uint8_t* rgb24, int width, int height, int stride, std::int64_t index);

    const RemovalReport& report() const { return report_; }

private:
    bool in_segment(std::int64_t index);
    SubtitleBand band_;
    std::vector<TextSegment> segments_;
    std::size_t cursor_ = 0;  // frames arrive in order; the next segment that can contain one
    RemovalOptions options_;
    RemovalMethod current_;
    bool switched_ = false;
    double inpaint_ms_total_ = 0;
    double blur_ms_total_ = 0;
    std::int64_t inpainted_ = 0;
    std::int64_t blurred_ = 0;
    RemovalReport report_;
};

}  // namespace dramaloc::hardsubs
