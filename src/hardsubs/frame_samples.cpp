#include "hardsubs/frame_samples.hpp"

#include <algorithm>
#include <cstring>

namespace dramaloc::hardsubs {

FrameSample copy_rows(std::int64_t index, const std::uint8_t* y_plane, const std::uint8_t* u_plane, const std::uint8_t* v_plane,
                      int width, int height, int y0, int y1) {
    FrameSample s;
    s.index = index;
    s.width = width;
    s.y0 = std::clamp(y0 & ~1, 0, height);
    s.y1 = std::clamp((y1 + 1) & ~1, s.y0, height);
    const auto w = static_cast<std::size_t>(width), h = static_cast<std::size_t>(s.height());
    s.luma.assign(y_plane + static_cast<std::size_t>(s.y0) * w, y_plane + static_cast<std::size_t>(s.y1) * w);
    const std::size_t chroma_offset = static_cast<std::size_t>(s.y0 / 2) * (w / 2), chroma_size = (h / 2) * (w / 2);
    s.u.assign(u_plane + chroma_offset, u_plane + chroma_offset + chroma_size);
    s.v.assign(v_plane + chroma_offset, v_plane + chroma_offset + chroma_size);
    return s;
}

void SamplePool::add(FrameSample sample) {
    bytes_ += sample.bytes();
    // In frame order (the frames decoded a second time come after the rest).
    const auto at = std::upper_bound(samples_.begin(), samples_.end(), sample.index, [](std::int64_t i, const FrameSample& s) { return i < s.index; });
    samples_.insert(at, std::move(sample));
    while (bytes_ > budget_ && samples_.size() > 2) {
        // Drop every other sample of the older half.
        const std::size_t half = samples_.size() / 2;
        std::vector<FrameSample> kept;
        kept.reserve(samples_.size());
        for (std::size_t i = 0; i < samples_.size(); ++i) {
            if (i < half && i % 2 == 1) {
                bytes_ -= samples_[i].bytes();
                ++thinned_;
                continue;
            }
            kept.push_back(std::move(samples_[i]));
        }
        samples_ = std::move(kept);
    }
}

void SamplePool::keep_rows(int y0, int y1) {
    bytes_ = 0;
    for (FrameSample& s : samples_) {
        const int a = std::clamp(y0 & ~1, s.y0, s.y1), b = std::clamp((y1 + 1) & ~1, a, s.y1);
        if (a != s.y0 || b != s.y1) {
            const auto w = static_cast<std::size_t>(s.width);
            std::vector<std::uint8_t> luma(s.luma.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(a - s.y0) * w),
                                           s.luma.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(b - s.y0) * w));
            const auto cut = [&](std::vector<std::uint8_t>& plane) {
                std::vector<std::uint8_t> kept(plane.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>((a - s.y0) / 2) * (w / 2)),
                                               plane.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>((b - s.y0) / 2) * (w / 2)));
                plane = std::move(kept);
            };
            cut(s.u);
            cut(s.v);
            s.luma = std::move(luma);
            s.y0 = a, s.y1 = b;
        }
        bytes_ += s.bytes();
    }
}

std::vector<const FrameSample*> SamplePool::covering(std::int64_t first, std::int64_t end, int y0, int y1) const {
    std::vector<const FrameSample*> out;
    const auto from = std::lower_bound(samples_.begin(), samples_.end(), first, [](const FrameSample& s, std::int64_t i) { return s.index < i; });
    for (auto it = from; it != samples_.end() && it->index < end; ++it)
        if (it->y0 <= y0 && it->y1 >= y1) out.push_back(&*it);
    return out;
}

}  // namespace dramaloc::hardsubs
