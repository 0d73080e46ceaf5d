#include "hardsubs/scan.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <map>
#include <thread>
#include <vector>

#include "core/cancel.hpp"
#include "core/parallel.hpp"
#include "engines/ocr.hpp"
#include "hardsubs/frame_samples.hpp"
#include "hardsubs/mask_history.hpp"
#include "hardsubs/segments.hpp"
#include "hardsubs/text_mask.hpp"
#include "media/video_frames.hpp"

namespace dramaloc::hardsubs {
namespace {

// Full-resolution frames kept for OCR, at most (bytes, per episode).
constexpr std::size_t kSampleBudget = std::size_t{320} << 20;
// Until the band is clear: a whole frame every this many decoded frames, and a look for the
// band every this many.
constexpr std::int64_t kWholeFrameEvery = 3;
constexpr std::int64_t kLookEvery = 24;
// The band is clear when two looks in a row find it in the same place, with text seen in it
// at least this often.
constexpr int kClearAfterFramesWithText = 3;
// Once it is clear: the band's rows of a subtitle's frames at these decoded frames of it
// (0: its first), and every kKeepEvery after, in case two subtitles look alike to the masks.
constexpr int kKeepAt[] = {1, 3, 6};
constexpr int kKeepEvery = 24;
// Once it is clear, masks of the band's neighbourhood only (half a band's height above and below),
// and of the whole frame every this many decoded frames: band detection looks at frames spread
// over the episode, not at every one, and the mask is a good part of the work per frame.
constexpr std::int64_t kWholeMaskEvery = 16;

bool same_place(const SubtitleBand& a, const SubtitleBand& b) {
    const int overlap = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
    return overlap > 0 && overlap >= 3 * std::max(a.height(), b.height()) / 4;
}

// Decoded frames on their way to the mask thread: a few at a time (each is a whole frame),
// their buffers recycled so that nothing is allocated per frame.
class FrameQueue {
public:
    // Hands `frame` over (swapping in a recycled buffer); false when the consumer gave up.
    bool push(media::VideoFrame& frame) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return ready_.size() < kDepth || abandoned_; });
        if (abandoned_) return false;
        ready_.push_back(std::move(frame));
        frame = spare_.empty() ? media::VideoFrame{} : std::move(spare_.back());
        if (!spare_.empty()) spare_.pop_back();
        changed_.notify_all();
        return true;
    }
    // The next frame, or nullopt once closed and drained.
    std::optional<media::VideoFrame> pop() {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !ready_.empty() || closed_; });
        if (ready_.empty()) return std::nullopt;
        media::VideoFrame frame = std::move(ready_.front());
        ready_.pop_front();
        changed_.notify_all();
        return frame;
    }
    // Every buffer comes back for the next frame: there are never more than the queue's depth
    // and the two in hand, and a buffer dropped here would be allocated (and its pages faulted
    // in) again for the next frame.
    void recycle(media::VideoFrame&& frame) {
        std::lock_guard lock(mutex_);
        spare_.push_back(std::move(frame));
    }
    void close() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        changed_.notify_all();
    }
    void abandon() {
        std::lock_guard lock(mutex_);
        abandoned_ = true;
        closed_ = true;
        ready_.clear();
        changed_.notify_all();
    }

private:
    static constexpr std::size_t kDepth = 3;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<media::VideoFrame> ready_;
    std::vector<media::VideoFrame> spare_;
    bool closed_ = false;
    bool abandoned_ = false;
};

struct Planes {
    const std::uint8_t* y;
    const std::uint8_t* u;
    const std::uint8_t* v;
};

Planes planes_of(const media::VideoFrame& frame) {
    const std::size_t luma = static_cast<std::size_t>(frame.width) * static_cast<std::size_t>(frame.height);
    const std::uint8_t* p = frame.pixels.data();
    return {p, p + luma, p + luma + luma / 4};
}

media::VideoFrameReader open_reader(const std::filesystem::path& episode) {
    media::VideoReadOptions read;
    read.kind = media::PixelKind::Yuv420;
    read.skip_non_reference = true;
    return media::VideoFrameReader(episode, read);
}

// What the mask thread keeps of each decoded frame: its mask, and the frames OCR will read.
class Keeper {
public:
    // `whole_masks`: every mask of the whole frame (when the band found at the end lay outside
    // the rows masked once it was clear, the episode is decoded again so).
    Keeper(int width, int height, std::optional<SubtitleBand> band, TextMaskOptions mask_options, bool whole_masks)
        : history(width / 2, height / 2), samples(kSampleBudget), height_(height), band_(band), masker_(mask_options), whole_masks_(whole_masks) {
        if (band_) start_tracking();
    }

    void add(const media::VideoFrame& frame) {
        const Planes p = planes_of(frame);
        MaskHistory::Frame f{frame.index, frame.pts, 0, -1};
        if (masked_rows_ && decoded_ % kWholeMaskEvery != 0) f.row0 = masked_rows_->y0 / 2, f.row1 = (masked_rows_->y1 + 1) / 2;
        history.add(f, masker_.mask({p.y, p.u, p.v, frame.width, frame.height}, f.row0, f.row1));
        ++decoded_;
        if (!band_) {
            if (decoded_ % kWholeFrameEvery == 0) samples.add(copy_rows(frame.index, p.y, p.u, p.v, frame.width, frame.height, 0, frame.height));
            if (decoded_ % kLookEvery == 0) look_for_band();
            return;
        }
        // Which segment this frame belongs to is all that matters here; the segments read are
        // found again at the end, in the band found then (segments.hpp).
        tracker_->feed(frame.index, history.rows(history.size() - 1, band_->y0 / 2, (band_->y1 + 1) / 2));
        const auto& open = tracker_->open();
        if (!open) return;
        const int n = open->frames_decoded - 1;  // 0 for the subtitle's first decoded frame
        const bool keep = std::find(std::begin(kKeepAt), std::end(kKeepAt), n) != std::end(kKeepAt) || (n > 0 && n % kKeepEvery == 0);
        if (keep) samples.add(copy_rows(frame.index, p.y, p.u, p.v, frame.width, frame.height, band_->y0, band_->y1));
    }

    // The rows masked in most frames once the band was clear (nullopt: every mask was whole).
    const std::optional<SubtitleBand>& masked_rows() const { return masked_rows_; }

    MaskHistory history;
    SamplePool samples;

private:
    void look_for_band() {
        const BandDetection found = detect_band(history, height_);
        const bool clear = found.band && last_look_ && same_place(*found.band, *last_look_) && found.frames_with_text >= kClearAfterFramesWithText;
        last_look_ = found.band;
        if (!clear) return;
        band_ = *found.band;
        samples.keep_rows(band_->y0, band_->y1);
        start_tracking();
    }

    void start_tracking() {
        const int rows = (band_->y1 + 1) / 2 - band_->y0 / 2;
        tracker_.emplace(min_text_pixels(history.width(), rows));
        if (!whole_masks_) masked_rows_ = SubtitleBand{std::max(0, band_->y0 - band_->height() / 2), std::min(height_, band_->y1 + band_->height() / 2)};
    }

    int height_;
    std::optional<SubtitleBand> band_;  // where frames are kept for: the band given, or found so far
    std::optional<SubtitleBand> last_look_;
    std::optional<SegmentTracker> tracker_;
    TextMasker masker_;
    bool whole_masks_;
    std::optional<SubtitleBand> masked_rows_;
    std::int64_t decoded_ = 0;
};

// One decode of the episode: what the keeper kept of it, and the stream's figures.
struct Decoded {
    std::unique_ptr<Keeper> keeper;
    std::int64_t frames = 0;
};

Decoded decode(media::VideoFrameReader reader, const ScanOptions& options, bool whole_masks, const std::function<void(double)>& report) {
    const int width = reader.source_width(), height = reader.source_height();
    const FrameRate rate = reader.frame_rate().num > 0 ? reader.frame_rate() : FrameRate{30, 1};
    TextMaskOptions mask_options;
    mask_options.outline_radius = stroke_radius_for_width(width);
    Decoded out{std::make_unique<Keeper>(width, height, options.band, mask_options, whole_masks), 0};
    Keeper& keeper = *out.keeper;
    // For progress only: decoding is most of the work; frames are counted as packets are read.
    const double expected = std::max(1.0, static_cast<double>(reader.duration_ms()) * rate.fps() / 1000.0);
    // Masks are made on a thread of their own while this one decodes: on two cores the
    // decoder's threads and the masks share the machine instead of taking turns.
    FrameQueue queue;
    std::exception_ptr mask_error;
    std::jthread masker([&] {
        try {
            while (auto frame = queue.pop()) {
                keeper.add(*frame);
                queue.recycle(std::move(*frame));
            }
        } catch (...) {
            mask_error = std::current_exception();
            queue.abandon();
        }
    });
    try {
        media::VideoFrame frame;
        std::int64_t decoded = 0;
        while (reader.next(frame)) {
            if (!queue.push(frame)) break;  // the masker failed: its error is rethrown below
            if (++decoded % 32 == 0) report(0.8 * static_cast<double>(reader.frames_in_stream()) / expected);
        }
    } catch (...) {
        queue.close();
        throw;
    }
    queue.close();
    masker.join();
    if (mask_error) std::rethrow_exception(mask_error);
    throw_if_cancelled();
    out.frames = reader.frames_in_stream();
    return out;
}

bool inside(const SubtitleBand& band, const SubtitleBand& rows) { return band.y0 >= rows.y0 && band.y1 <= rows.y1; }

// Decodes the episode again for the segments no kept frame shows: their middle decoded
// frames, the rows of their text. Returns the frames decoded a second time for them.
int keep_missing_frames(const std::filesystem::path& episode, const FoundSegments& found, const MaskHistory& history, SamplePool& samples) {
    std::map<std::int64_t, SubtitleBand> wanted;  // frame → rows
    for (const FoundSegment& s : found.segments) {
        if (!samples_for(s, samples).empty()) continue;
        std::vector<std::int64_t> decoded;
        for (std::size_t i = 0; i < history.size(); ++i) {
            const std::int64_t index = history.frame(i).index;
            if (index > s.first_decoded && index < s.segment.end_frame) decoded.push_back(index);
        }
        if (decoded.empty()) decoded.push_back(s.first_decoded);
        for (const std::int64_t index : {decoded[decoded.size() / 3], decoded[2 * decoded.size() / 3]}) {
            const SubtitleBand rows = text_rows(s);
            auto [it, inserted] = wanted.emplace(index, rows);
            if (!inserted) it->second = {std::min(it->second.y0, rows.y0), std::max(it->second.y1, rows.y1)};
        }
    }
    if (wanted.empty()) return 0;
    media::VideoFrameReader reader = open_reader(episode);
    media::VideoFrame frame;
    int kept = 0;
    while (reader.next(frame) && frame.index <= wanted.rbegin()->first) {
        throw_if_cancelled();
        const auto it = wanted.find(frame.index);
        if (it == wanted.end()) continue;
        const Planes p = planes_of(frame);
        const int margin = std::max(8, it->second.height() / 4);
        samples.add(copy_rows(frame.index, p.y, p.u, p.v, frame.width, frame.height, it->second.y0 - margin, it->second.y1 + margin));
        ++kept;
    }
    return kept;
}

}  // namespace

HardsubScan scan_hardsubs(const std::filesystem::path& episode, const ScanOptions& options) {
    // The engine first: a missing model fails before a minute of decoding. Then every OCR
    // worker's engine loads its model on a thread of its own while the episode is decoded
    // (the decoder leaves some of the machine idle; a model takes a good part of a second).
    std::vector<engines::TextRecognizerLease> engines;
    std::exception_ptr warm_error;
    std::jthread warm;
    if (options.read_text) {
        engines.push_back(engines::lease_text_recognizer(options.extract.ocr_backend));
        engines.front()->require_language(options.extract.language);
        engines.resize(static_cast<std::size_t>(std::max(1, resolve_jobs(options.extract.jobs))));
        warm = std::jthread([&] {
            try {
                for (auto& e : engines) {
                    if (!e) e = engines::lease_text_recognizer(options.extract.ocr_backend);
                    e->prepare(options.extract.language);
                }
            } catch (...) {
                warm_error = std::current_exception();
            }
        });
    }
    media::VideoFrameReader reader = open_reader(episode);
    const int width = reader.source_width(), height = reader.source_height();
    if (options.band) check_band_inside(*options.band, width, height, episode.string());
    const FrameRate rate = reader.frame_rate().num > 0 ? reader.frame_rate() : FrameRate{30, 1};
    const auto report = [&](double fraction) {
        if (options.extract.on_progress) options.extract.on_progress(std::clamp(fraction, 0.0, 1.0));
    };

    Decoded decoded = decode(std::move(reader), options, false, report);
    BandDetection detection;
    if (options.band) {
        detection.band = options.band;
        detection.frames_examined = static_cast<int>(decoded.keeper->history.size());
    } else {
        detection = detect_band(decoded.keeper->history, height);
        // The band found at the end lies outside the rows masked once the band seemed clear
        // (subtitles that moved late in the episode): decoded again, masking whole frames.
        if (detection.band && decoded.keeper->masked_rows() && !inside(*detection.band, *decoded.keeper->masked_rows())) {
            decoded = decode(open_reader(episode), options, true, report);
            detection = detect_band(decoded.keeper->history, height);
        }
    }
    Keeper& keeper = *decoded.keeper;

    HardsubScan scan;
    scan.mask_bytes = keeper.history.bytes();
    scan.detection = detection;
    if (scan.detection.band && options.read_text) {
        const std::int64_t frames = decoded.frames;
        const FoundSegments found = find_segments(keeper.history, *scan.detection.band, rate, frames);
        const int again = keep_missing_frames(episode, found, keeper.history, keeper.samples);
        ExtractOptions reading = options.extract;
        reading.on_progress = [&](double f) { report(0.8 + 0.2 * f); };
        if (warm.joinable()) warm.join();
        if (warm_error) std::rethrow_exception(warm_error);
        scan.extraction = read_segments(found, keeper.samples, *scan.detection.band, rate, frames, reading, std::move(engines));
        scan.extraction->frames_decoded = static_cast<std::int64_t>(keeper.history.size());
        scan.extraction->decoded_again = again;
    }
    scan.sample_bytes = keeper.samples.bytes();
    report(1.0);
    return scan;
}

BandDetection detect_subtitle_band(const std::filesystem::path& episode) {
    ScanOptions options;
    options.read_text = false;
    return scan_hardsubs(episode, options).detection;
}

HardsubExtraction extract_hardsubs(const std::filesystem::path& episode, const SubtitleBand& band, const ExtractOptions& options) {
    ScanOptions scan;
    scan.extract = options;
    scan.band = band;
    return std::move(*scan_hardsubs(episode, scan).extraction);
}

}  // namespace dramaloc::hardsubs
