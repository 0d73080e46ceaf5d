#include "hardsubs/scan.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/cancel.hpp"
#include "engines/ocr.hpp"
#include "hardsubs/mask_history.hpp"
#include "hardsubs/text_mask.hpp"
#include "media/video_frames.hpp"

namespace dramaloc::hardsubs {
namespace {

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
    void recycle(media::VideoFrame&& frame) {
        std::lock_guard lock(mutex_);
        if (spare_.size() < kDepth) spare_.push_back(std::move(frame));
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

}  // namespace

HardsubScan scan_hardsubs(const std::filesystem::path& episode, const ScanOptions& options) {
    // The engine first: a missing model fails before a minute of decoding.
    engines::TextRecognizerLease engine;
    if (options.read_text) {
        engine = engines::lease_text_recognizer(options.extract.ocr_backend);
        engine->require_language(options.extract.language);
    }
    media::VideoReadOptions read;
    read.kind = media::PixelKind::Yuv420;
    read.skip_non_reference = true;
    media::VideoFrameReader reader(episode, read);
    const int width = reader.source_width(), height = reader.source_height();
    if (options.band) check_band_inside(*options.band, width, height, episode.string());
    const FrameRate rate = reader.frame_rate().num > 0 ? reader.frame_rate() : FrameRate{30, 1};

    const auto report = [&](double fraction) {
        if (options.extract.on_progress) options.extract.on_progress(std::clamp(fraction, 0.0, 1.0));
    };
    YuvTextMaskOptions mask_options;
    mask_options.outline_radius = std::max(1, outline_radius_for_width(width) / 2);
    MaskHistory history(width / 2, height / 2);
    // For progress only: decoding is most of the work; frames are counted as packets are read.
    const double expected = std::max(1.0, static_cast<double>(reader.duration_ms()) * rate.fps() / 1000.0);
    {
        // Masks are made on a thread of their own while this one decodes: on two cores the
        // decoder's threads and the masks share the machine instead of taking turns.
        FrameQueue queue;
        std::exception_ptr mask_error;
        std::jthread masker([&] {
            try {
                while (auto frame = queue.pop()) {
                    const std::size_t luma = static_cast<std::size_t>(frame->width) * static_cast<std::size_t>(frame->height);
                    const std::uint8_t* planes = frame->pixels.data();
                    const Yuv420View view{planes, planes + luma, planes + luma + luma / 4, frame->width, frame->height};
                    history.add({frame->index, frame->pts}, text_mask_yuv420_half(view, mask_options));
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
                if (++decoded % 32 == 0) report(0.9 * static_cast<double>(reader.frames_in_stream()) / expected);
            }
        } catch (...) {
            queue.close();
            throw;
        }
        queue.close();
        masker.join();
        if (mask_error) std::rethrow_exception(mask_error);
    }
    throw_if_cancelled();

    HardsubScan scan;
    scan.mask_bytes = history.bytes();
    if (options.band) {
        scan.detection.band = options.band;
        scan.detection.frames_examined = static_cast<int>(history.size());
    } else {
        scan.detection = detect_band(history, height);
    }
    if (scan.detection.band && options.read_text) {
        ExtractOptions reading = options.extract;
        reading.on_progress = [&](double f) { report(0.9 + 0.1 * f); };
        scan.extraction = read_band(history, *scan.detection.band, rate, reader.frames_in_stream(), reading, std::move(engine));
    }
    report(1.0);
    return scan;
}

BandDetection detect_subtitle_band(const std::filesystem::path& episode) {
    ScanOptions options;
    options.read_text = false;
    return scan_hardsubs(episode, options).detection;
}

}  // namespace dramaloc::hardsubs
