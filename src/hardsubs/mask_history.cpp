#include "hardsubs/mask_history.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace dramaloc::hardsubs {

void MaskHistory::add(Frame frame, const Mask& mask) {
    if (mask.width != width_ || mask.height != height_) throw std::logic_error("MaskHistory::add: mask of another size");
    Stored stored;
    static_cast<Frame&>(stored) = frame;
    stored.first = runs_.size();
    const int from = std::clamp(frame.row0, 0, height_), to = frame.row1 < 0 ? height_ : std::clamp(frame.row1, from, height_);
    for (int y = from; y < to; ++y) {
        const std::uint8_t* row = &mask.bits[static_cast<std::size_t>(y) * static_cast<std::size_t>(width_)];
        if (!std::memchr(row, 1, static_cast<std::size_t>(width_))) continue;  // most rows of most frames
        std::size_t header = 0;
        int count = 0;
        for (int x = 0; x < width_;) {
            if (!row[x]) {
                ++x;
                continue;
            }
            const int start = x;
            while (x < width_ && row[x]) ++x;
            if (count == 0) {
                header = runs_.size();
                runs_.push_back(static_cast<std::uint16_t>(y));
                runs_.push_back(0);
            }
            runs_.push_back(static_cast<std::uint16_t>(start));
            runs_.push_back(static_cast<std::uint16_t>(x - start));
            ++count;
        }
        if (count > 0) runs_[header + 1] = static_cast<std::uint16_t>(count);
    }
    frames_.push_back(stored);
}

Mask MaskHistory::rows(std::size_t i, int y0, int y1) const {
    y0 = std::clamp(y0, 0, height_);
    y1 = std::clamp(y1, y0, height_);
    Mask out(width_, y1 - y0);
    for_each_run(i, [&](int y, int x0, int x1) {
        if (y < y0 || y >= y1) return;
        std::fill_n(&out.at(x0, y - y0), x1 - x0, std::uint8_t{1});
    });
    return out;
}

}  // namespace dramaloc::hardsubs
