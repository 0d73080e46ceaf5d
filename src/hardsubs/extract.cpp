#include "hardsubs/extract.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "engines/ocr.hpp"
#include "hardsubs/ocr_text.hpp"
#include "hardsubs/text_mask.hpp"
#include "media/probe.hpp"
#include "media/video_frames.hpp"

namespace dramaloc::hardsubs {
namespace {

constexpr int kMaskStep = 2;              // change detection looks at every 2nd pixel and row
constexpr double kChangedShare = 0.4;     // XOR / OR of consecutive masks above this: new text
constexpr std::int64_t kMinFrames = 3;    // shorter segments are transitions, not subtitles
constexpr int kMaskFramesPerSegment = 3;  // full-size masks ANDed for OCR
constexpr std::int64_t kMaskFrameSpacing = 3;
constexpr double kMergeSimilarity = 0.7;
constexpr std::int64_t kMergeGapFrames = 4;

struct PendingSegment {
    TextSegment segment;
    std::optional<Mask> full_mask;  // AND of the full-size masks taken so far
    int masks_taken = 0;
};

struct OcrJob {
    TextSegment segment;
    engines::GrayImage image;
    engines::OcrResult result;  // written by one worker, read after OcrPool::finish()
    int calls = 0;
    int failures = 0;
};

// Ink where the mask is set, on white, cropped to the text with a margin.
engines::GrayImage ocr_image(Mask mask, int outline_radius) {
    remove_small_components(mask, static_cast<std::size_t>(std::max(12, outline_radius * outline_radius / 2)));
    const media::Rect box = bounding_box(mask);
    engines::GrayImage image;
    if (box.empty()) return image;
    const int margin = std::max(8, outline_radius * 3);
    image.width = box.width + 2 * margin;
    image.height = box.height + 2 * margin;
    image.pixels.assign(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height), 255);
    for (int y = 0; y < box.height; ++y)
        for (int x = 0; x < box.width; ++x)
            if (mask.at(box.x + x, box.y + y))
                image.pixels[static_cast<std::size_t>(y + margin) * static_cast<std::size_t>(image.width) +
                             static_cast<std::size_t>(x + margin)] = 0;
    return image;
}

engines::GrayImage with_border(const engines::GrayImage& in, int border) {
    engines::GrayImage out;
    out.width = in.width + 2 * border;
    out.height = in.height + 2 * border;
    out.pixels.assign(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height), 255);
    for (int y = 0; y < in.height; ++y)
        std::copy_n(in.pixels.begin() + static_cast<std::ptrdiff_t>(y) * in.width, in.width,
                    out.pixels.begin() + static_cast<std::ptrdiff_t>(y + border) * out.width + border);
    return out;
}

// OCR while decoding goes on: a segment is read as soon as it closes, by workers that each own
// an engine (engines keep state); the decoding thread only queues it. On two cores this hides
// most of the OCR behind the decoder.
class OcrPool {
public:
    OcrPool(int workers, std::unique_ptr<engines::TextRecognizer> first, const ExtractOptions& options) : options_(options) {
        for (int w = 0; w < workers; ++w) {
            auto engine = w == 0 ? std::move(first) : nullptr;
            threads_.emplace_back([this, engine = std::move(engine)]() mutable { run(std::move(engine)); });
        }
    }
    ~OcrPool() {  // without finish() (the decoder failed or was cancelled): drop what waits, join
        {
            std::lock_guard lock(mutex_);
            pending_.clear();
        }
        close();
    }
    OcrPool(const OcrPool&) = delete;
    OcrPool& operator=(const OcrPool&) = delete;

    void submit(OcrJob* job) {
        {
            std::lock_guard lock(mutex_);
            if (error_) std::rethrow_exception(error_);
            pending_.push_back(job);
        }
        ready_.notify_one();
    }

    // Waits for every job; rethrows the first error a worker met.
    void finish() {
        close();
        threads_.clear();
        if (error_) std::rethrow_exception(error_);
    }

private:
    void close() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        ready_.notify_all();
    }

    void run(std::unique_ptr<engines::TextRecognizer> engine) {
        try {
            for (;;) {
                OcrJob* job = nullptr;
                {
                    std::unique_lock lock(mutex_);
                    ready_.wait(lock, [&] { return closed_ || !pending_.empty() || error_; });
                    if (error_ || pending_.empty()) return;
                    job = pending_.front();
                    pending_.pop_front();
                }
                if (!engine) engine = engines::make_text_recognizer(options_.ocr_backend);
                read(*engine, *job);
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!error_) error_ = std::current_exception();
            ready_.notify_all();
        }
    }

    void read(engines::TextRecognizer& engine, OcrJob& job) const {
        if (job.image.width == 0) return;
        job.result = engine.recognize(job.image, options_.language);
        ++job.calls;
        if (job.result.failed) {
            // Once more on a slightly different image: the failures seen are tied to the layout.
            ++job.failures;
            job.result = engine.recognize(with_border(job.image, 16), options_.language);
            ++job.calls;
            if (job.result.failed) ++job.failures;
        }
        job.image = {};  // done with it: memory stays bounded by the queue, not the episode
    }

    const ExtractOptions& options_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<OcrJob*> pending_;
    bool closed_ = false;
    std::exception_ptr error_;
    std::vector<std::jthread> threads_;
};

}  // namespace

HardsubExtraction extract_hardsubs(const std::filesystem::path& episode, const SubtitleBand& band,
                                   const ExtractOptions& options) {
    HardsubExtraction out;
    out.band = band;
    auto first_engine = engines::make_text_recognizer(options.ocr_backend);
    first_engine->require_language(options.language);
    out.engine = first_engine->version();

    media::VideoFrameReader probe_reader(episode, {});
    const int frame_width = probe_reader.source_width();
    check_band_inside(band, frame_width, probe_reader.source_height(), episode.string());
    const FrameRate rate = probe_reader.frame_rate().num > 0 ? probe_reader.frame_rate() : FrameRate{30, 1};
    const TimeMs frame_ms = std::max<TimeMs>(1, static_cast<TimeMs>(1000.0 / rate.fps()));

    media::VideoReadOptions read;
    read.kind = media::PixelKind::Rgb24;
    read.roi = {0, band.y0, frame_width, band.height()};
    media::VideoFrameReader reader(episode, read);
    // For progress only: the frame count the duration implies (decoding is ~80% of the work).
    const double expected_frames = std::max(1.0, static_cast<double>(media::probe(episode).duration_ms) * rate.fps() / 1000.0);
    const auto report = [&](double fraction) {
        if (options.on_progress) options.on_progress(std::clamp(fraction, 0.0, 1.0));
    };

    const int outline = outline_radius_for_width(frame_width);
    TextMaskOptions small_options;
    small_options.outline_radius = outline;
    small_options.step = kMaskStep;
    TextMaskOptions full_options;
    full_options.outline_radius = outline;
    const int small_w = (frame_width + kMaskStep - 1) / kMaskStep;
    const int small_h = (band.height() + kMaskStep - 1) / kMaskStep;
    const std::size_t min_pixels = std::max<std::size_t>(20, static_cast<std::size_t>(small_w) * static_cast<std::size_t>(small_h) / 1000);

    std::vector<std::unique_ptr<OcrJob>> jobs;
    OcrPool pool(resolve_jobs(options.jobs), std::move(first_engine), options);
    std::optional<PendingSegment> open;
    Mask previous;
    auto close = [&](TimeMs end_time, std::int64_t end_frame) {
        if (!open) return;
        open->segment.end = end_time;
        open->segment.end_frame = end_frame;
        out.segments.push_back(open->segment);
        if (open->segment.end_frame - open->segment.first_frame < kMinFrames || !open->full_mask) {
            ++out.dropped_short;
        } else {
            jobs.push_back(std::make_unique<OcrJob>(OcrJob{open->segment, ocr_image(std::move(*open->full_mask), outline), {}, 0, 0}));
            pool.submit(jobs.back().get());
        }
        open.reset();
    };

    media::VideoFrame frame;
    TimeMs last_pts = 0;
    while (reader.next(frame)) {
        const RgbView view{frame.pixels.data(), frame.width, frame.height, frame.stride};
        Mask small = text_mask(view, small_options);
        const bool has_text = small.count() >= min_pixels;
        if (open) {
            const std::size_t both = count_union(small, previous);
            const bool changed = !has_text || (both > 0 && static_cast<double>(count_differences(small, previous)) >
                                                               kChangedShare * static_cast<double>(both));
            if (changed) close(frame.pts, frame.index);
        }
        if (has_text && !open) {
            open = PendingSegment{};
            open->segment.first_frame = frame.index;
            open->segment.start = frame.pts;
        }
        if (open) {
            const std::int64_t offset = frame.index - open->segment.first_frame;
            if (offset == 0) {
                // Kept only for a segment too short for anything better; the first frame of a
                // subtitle is often mid-fade, so the frames after it replace it.
                open->full_mask = text_mask(view, full_options);
            } else if (open->masks_taken < kMaskFramesPerSegment && offset % kMaskFrameSpacing == 1) {
                Mask full = text_mask(view, full_options);
                if (open->masks_taken == 0) open->full_mask = std::move(full);
                else intersect(*open->full_mask, full);
                ++open->masks_taken;
            }
        }
        previous = std::move(small);
        last_pts = frame.pts;
        ++out.frames;
        if (out.frames % 30 == 0) report(0.95 * static_cast<double>(out.frames) / expected_frames);
    }
    close(last_pts + frame_ms, out.frames);

    pool.finish();

    // Merge consecutive segments that read alike; drop noise.
    for (const auto& job : jobs) {
        out.ocr_calls += job->calls;
        out.ocr_failures += job->failures;
        if (job->result.failed) continue;
        const std::string text = normalize_ocr_text(job->result.text);
        if (text.empty() || is_ocr_noise(text)) {
            ++out.dropped_noise;
            continue;
        }
        const TextSegment& s = job->segment;
        if (!out.subtitles.empty()) {
            ExtractedSubtitle& last = out.subtitles.back();
            const bool adjacent = s.start - last.end <= kMergeGapFrames * frame_ms;
            if (adjacent && text_similarity(last.text, text) >= kMergeSimilarity) {
                last.end = s.end;
                if (job->result.confidence > last.confidence) {
                    last.text = text;
                    last.confidence = job->result.confidence;
                }
                ++last.segments;
                continue;
            }
        }
        out.subtitles.push_back({s.start, s.end, text, job->result.confidence, 1});
    }
    report(1.0);
    return out;
}

}  // namespace dramaloc::hardsubs
