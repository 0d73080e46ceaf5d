#include "hardsubs/segments.hpp"

#include <algorithm>
#include <cmath>

#include "core/cancel.hpp"
#include "hardsubs/mask_history.hpp"

namespace dramaloc::hardsubs {
namespace {

// The core is the AND of the segment's first frames' masks: what is text in all of them.
// Later frames are compared with it but do not change it, so that a long subtitle's core
// does not wear away with compression noise.
constexpr int kCoreFrames = 3;
// The second frame is compared with the first frame's mask, which still holds whatever
// background looked like text in it; a lower bar there (a subtitle shown for one decoded
// frame only is a transition, not a line).
constexpr double kSecondFrameRetained = 0.25;
constexpr double kRetained = 0.55;
// A frame with this many times the core's pixels shows text the segment did not have (a
// subtitle appearing where only a little background looked like text): a new segment.
constexpr std::size_t kGrownBy = 3;
constexpr int kMinDecodedFrames = 2;      // one decoded frame of text is a transition, not a subtitle
constexpr TimeMs kMinDuration = 250;      // nobody reads a line shown for less

}  // namespace

std::size_t min_text_pixels(int mask_width, int band_mask_rows) {
    return std::max<std::size_t>(20, static_cast<std::size_t>(mask_width) * static_cast<std::size_t>(std::max(0, band_mask_rows)) / 1000);
}

FoundSegments find_segments(const MaskHistory& history, const SubtitleBand& band, FrameRate rate, std::int64_t frames) {
    if (rate.num <= 0 || rate.den <= 0) rate = FrameRate{30, 1};
    const auto time_of = [&](std::int64_t index) { return static_cast<TimeMs>(std::llround(static_cast<double>(index) * 1000.0 / rate.fps())); };
    const int y0 = band.y0 / 2, y1 = std::min(history.height(), (band.y1 + 1) / 2);
    SegmentTracker tracker(min_text_pixels(history.width(), y1 - y0));
    FoundSegments out;
    const auto keep = [&](SegmentTracker::Closed closed) {
        TextSegment s{closed.segment.first_frame, closed.end_frame, time_of(closed.segment.first_frame), time_of(closed.end_frame)};
        out.all.push_back(s);
        if (closed.segment.frames_decoded < kMinDecodedFrames || s.end - s.start < kMinDuration) return;
        out.segments.push_back({s, closed.segment.first_decoded, closed.segment.frames_decoded, std::move(closed.segment.core), y0});
    };
    std::int64_t last = -1;
    for (std::size_t i = 0; i < history.size(); ++i) {
        if (i % 256 == 0) throw_if_cancelled();
        if (auto closed = tracker.feed(history.frame(i).index, history.rows(i, y0, y1))) keep(std::move(*closed));
        last = history.frame(i).index;
    }
    if (auto closed = tracker.finish(std::max(frames, last + 1))) keep(std::move(*closed));
    return out;
}

double retained_share(const Mask& core, const Mask& mask) {
    std::size_t kept = 0, total = 0;
    for (std::size_t i = 0; i < core.bits.size() && i < mask.bits.size(); ++i) {
        total += core.bits[i];
        kept += core.bits[i] & mask.bits[i];
    }
    return total == 0 ? 1.0 : static_cast<double>(kept) / static_cast<double>(total);
}

std::optional<SegmentTracker::Closed> SegmentTracker::feed(std::int64_t index, const Mask& band_mask) {
    std::optional<Closed> closed;
    const bool has_text = band_mask.count() >= min_pixels_;
    if (open_) {
        bool same = has_text && band_mask.count() <= kGrownBy * std::max<std::size_t>(1, open_->core.count());
        if (same) {
            const double retained = retained_share(open_->core, band_mask);
            same = retained >= (open_->frames_decoded == 1 ? kSecondFrameRetained : kRetained);
        }
        if (same) {
            if (open_->frames_decoded < kCoreFrames) intersect(open_->core, band_mask);
            ++open_->frames_decoded;
        } else {
            closed = Closed{std::move(*open_), index};
            open_.reset();
        }
    }
    if (has_text && !open_) open_ = Open{last_index_ + 1, index, 1, band_mask};
    last_index_ = index;
    return closed;
}

std::optional<SegmentTracker::Closed> SegmentTracker::finish(std::int64_t end_frame) {
    if (!open_) return std::nullopt;
    Closed closed{std::move(*open_), end_frame};
    open_.reset();
    return closed;
}

}  // namespace dramaloc::hardsubs
