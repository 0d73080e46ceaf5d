#pragma once
// Every decoded frame's text mask (text_mask.hpp), kept as runs of set pixels per row. A
// subtitle frame's mask is mostly empty, so an episode's masks take a few kilobytes a frame
// instead of the frame itself: this is what lets one decode serve both finding the band
// (band.hpp) and reading it (extract.hpp), whatever the key frame spacing.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/time.hpp"
#include "hardsubs/text_mask.hpp"

namespace dramaloc::hardsubs {

class MaskHistory {
public:
    MaskHistory(int width, int height) : width_(width), height_(height) {}

    struct Frame {
        std::int64_t index = 0;  // place in the stream (display order)
        TimeMs pts = 0;
        int row0 = 0;            // the rows the mask was made for: the whole frame (row1 < 0), or
        int row1 = -1;           // once the band is known, mostly only its rows (scan.cpp)
        bool whole() const { return row0 == 0 && row1 < 0; }
    };

    // Appends a frame's mask (of width() x height()), of which rows [row0, row1) were made
    // (row1 < 0: all); frames come in display order.
    void add(Frame frame, const Mask& mask);

    std::size_t size() const { return frames_.size(); }
    const Frame& frame(std::size_t i) const { return frames_[i]; }
    int width() const { return width_; }
    int height() const { return height_; }
    std::size_t bytes() const { return runs_.size() * sizeof(std::uint16_t) + frames_.size() * sizeof(Stored); }

    // Rows [y0, y1) of frame i's mask, as a width() x (y1 - y0) mask.
    Mask rows(std::size_t i, int y0, int y1) const;

    // Calls visit(y, x0, x1) for every run [x0, x1) of set pixels in frame i, top to bottom.
    template <typename Visit>
    void for_each_run(std::size_t i, Visit&& visit) const {
        const std::size_t end = i + 1 < frames_.size() ? frames_[i + 1].first : runs_.size();
        for (std::size_t at = frames_[i].first; at < end;) {
            const int y = runs_[at];
            const int count = runs_[at + 1];
            at += 2;
            for (int k = 0; k < count; ++k, at += 2) visit(y, static_cast<int>(runs_[at]), static_cast<int>(runs_[at]) + runs_[at + 1]);
        }
    }

private:
    struct Stored : Frame {
        std::size_t first = 0;  // into runs_
    };
    int width_;
    int height_;
    std::vector<Stored> frames_;
    // Per frame, per row with set pixels: y, run count, then (x0, length) per run.
    std::vector<std::uint16_t> runs_;
};

}  // namespace dramaloc::hardsubs
