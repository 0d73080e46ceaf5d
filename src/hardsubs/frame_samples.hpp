#pragma once
// Full-resolution pictures of the subtitle band, kept from the one decode of an episode so
// that OCR reads the text as it was drawn, not as a mask. A few frames of each subtitle are
// kept (rows of the band only, as the decoder gave them: 4:2:0, limited range). Until the
// band is known, whole frames are kept every few decoded frames, within a memory budget;
// once it is known they are cut down to the band's rows (scan.cpp).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/time.hpp"

namespace dramaloc::hardsubs {

struct FrameSample {
    std::int64_t index = 0;  // frame index (display order)
    int width = 0;           // of the frame (even)
    int y0 = 0;              // rows [y0, y1) of the frame (even numbers)
    int y1 = 0;
    std::vector<std::uint8_t> luma;  // width x (y1 - y0)
    std::vector<std::uint8_t> u;     // width/2 x (y1 - y0)/2
    std::vector<std::uint8_t> v;
    int height() const { return y1 - y0; }
    std::uint8_t luma_at(int x, int y) const { return luma[static_cast<std::size_t>(y - y0) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)]; }
    std::uint8_t u_at(int x, int y) const { return u[static_cast<std::size_t>((y - y0) / 2) * static_cast<std::size_t>(width / 2) + static_cast<std::size_t>(x / 2)]; }
    std::uint8_t v_at(int x, int y) const { return v[static_cast<std::size_t>((y - y0) / 2) * static_cast<std::size_t>(width / 2) + static_cast<std::size_t>(x / 2)]; }
    std::size_t bytes() const { return luma.size() + u.size() + v.size(); }
};

// Copies rows [y0, y1) (made even, clipped) of a planar 4:2:0 frame of width x height.
FrameSample copy_rows(std::int64_t index, const std::uint8_t* y_plane, const std::uint8_t* u_plane, const std::uint8_t* v_plane,
                      int width, int height, int y0, int y1);

class SamplePool {
public:
    explicit SamplePool(std::size_t budget_bytes) : budget_(budget_bytes) {}

    // Adds a sample, kept in frame order. Over the budget, every other sample of the oldest
    // half is dropped: coverage thins out evenly instead of stopping.
    void add(FrameSample sample);
    // Keeps only rows [y0, y1) of every sample (the band, once found).
    void keep_rows(int y0, int y1);

    // Samples whose frame lies in [first, end) and whose rows hold [y0, y1), in order.
    std::vector<const FrameSample*> covering(std::int64_t first, std::int64_t end, int y0, int y1) const;

    std::size_t bytes() const { return bytes_; }
    std::size_t size() const { return samples_.size(); }
    int thinned() const { return thinned_; }

private:
    std::size_t budget_;
    std::size_t bytes_ = 0;
    int thinned_ = 0;
    std::vector<FrameSample> samples_;
};

}  // namespace dramaloc::hardsubs
