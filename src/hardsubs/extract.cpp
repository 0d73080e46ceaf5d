#include "hardsubs/extract.hpp"

#include <algorithm>
#include <cmath>
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
#include "core/language.hpp"
#include "hardsubs/mask_history.hpp"
#include "hardsubs/ocr_image.hpp"
#include "hardsubs/ocr_text.hpp"
#include "hardsubs/scan.hpp"
#include "hardsubs/text_mask.hpp"

namespace dramaloc::hardsubs {
namespace {

constexpr double kChangedShare = 0.4;     // XOR / OR of consecutive masks above this: new text
constexpr std::int64_t kMinFrames = 3;    // shorter segments are transitions, not subtitles
constexpr int kMaskFramesPerSegment = 3;  // masks ANDed for OCR
constexpr std::int64_t kMaskFrameSpacing = 3;
constexpr double kMergeSimilarity = 0.7;
constexpr std::int64_t kMergeGapFrames = 4;
// Line heights OCR reads at: the first try, and the second for a Chinese reading that came
// out mostly without Han characters (bench/README.md has the figures these were chosen by).
constexpr int kLineHeight = 26;
constexpr int kSecondLineHeight = 40;
constexpr double kMinHanShare = 0.5;

struct PendingSegment {
    TextSegment segment;
    std::int64_t first_decoded = 0;  // index of the first decoded frame showing the text
    std::optional<Mask> ocr_mask;    // AND of the masks taken so far
    int masks_taken = 0;
    std::int64_t next_take = 1;      // frames after first_decoded at which the next mask is taken
};

struct OcrJob {
    TextSegment segment;
    Mask mask;                  // the segment's text (band rows, half resolution)
    engines::OcrResult result;  // written by one worker, read after OcrPool::finish()
    int calls = 0;
    int failures = 0;
};

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

bool expects_han(std::string_view language) {
    const auto info = find_language(language);
    return info && info->bcp47 == "zh";
}

// Segments are read by workers that each own an engine (engines keep state), while the
// segmenting thread goes on finding the next ones.
class OcrPool {
public:
    OcrPool(int workers, engines::TextRecognizerLease first, const ExtractOptions& options, std::size_t min_component)
        : options_(options), min_component_(min_component), han_(expects_han(options.language)) {
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

    void run(engines::TextRecognizerLease engine) {
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
                throw_if_cancelled();  // Ctrl-C: the worker stops, finish() reports it
                if (!engine) engine = engines::lease_text_recognizer(options_.ocr_backend);
                read(*engine, *job);
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            if (!error_) error_ = std::current_exception();
            ready_.notify_all();
        }
    }

    engines::OcrResult recognize(engines::TextRecognizer& engine, const engines::GrayImage& image, OcrJob& job) const {
        if (image.width == 0) return {};  // nothing left of the mask but specks
        auto result = engine.recognize(image, options_.language);
        ++job.calls;
        if (result.failed) {
            // Once more on a slightly different image: the failures seen are tied to the layout.
            ++job.failures;
            result = engine.recognize(with_border(image, 16), options_.language);
            ++job.calls;
            if (result.failed) ++job.failures;
        }
        return result;
    }

    void read(engines::TextRecognizer& engine, OcrJob& job) const {
        job.result = recognize(engine, ocr_image(job.mask, min_component_, kLineHeight), job);
        if (han_ && !job.result.failed && han_share(job.result.text) < kMinHanShare) {
            // Chinese read as mostly Latin letters ("IES BY?"): the strokes were taken for
            // another script at this size. Another scale; the reading with more Han wins.
            auto second = recognize(engine, ocr_image(job.mask, min_component_, kSecondLineHeight), job);
            const double a = han_share(job.result.text), b = han_share(second.text);
            if (!second.failed && (b > a || (b == a && second.confidence > job.result.confidence))) job.result = std::move(second);
        }
        job.mask = {};  // done with it: memory stays bounded by the queue, not the episode
    }

    const ExtractOptions& options_;
    const std::size_t min_component_;
    const bool han_;
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<OcrJob*> pending_;
    bool closed_ = false;
    std::exception_ptr error_;
    std::vector<std::jthread> threads_;
};

}  // namespace

HardsubExtraction read_band(const MaskHistory& history, const SubtitleBand& band, FrameRate rate, std::int64_t frames,
                            const ExtractOptions& options, engines::TextRecognizerLease engine) {
    HardsubExtraction out;
    out.band = band;
    out.engine = engine->version();
    out.frames = frames;
    out.frames_decoded = static_cast<std::int64_t>(history.size());
    if (rate.num <= 0 || rate.den <= 0) rate = FrameRate{30, 1};
    const TimeMs frame_ms = std::max<TimeMs>(1, static_cast<TimeMs>(1000.0 / rate.fps()));
    const auto time_of = [&](std::int64_t index) { return static_cast<TimeMs>(std::llround(static_cast<double>(index) * 1000.0 / rate.fps())); };
    const auto report = [&](double fraction) {
        if (options.on_progress) options.on_progress(std::clamp(fraction, 0.0, 1.0));
    };

    // The band in the masks' rows (half resolution).
    const int y0 = band.y0 / 2, y1 = std::min(history.height(), (band.y1 + 1) / 2);
    const std::size_t min_pixels = std::max<std::size_t>(20, static_cast<std::size_t>(history.width()) * static_cast<std::size_t>(y1 - y0) / 1000);
    const int outline = std::max(1, outline_radius_for_width(2 * history.width()) / 2);
    const std::size_t min_component = static_cast<std::size_t>(std::max(3, outline * outline / 2));

    std::vector<std::unique_ptr<OcrJob>> jobs;
    OcrPool pool(resolve_jobs(options.jobs), std::move(engine), options, min_component);
    std::optional<PendingSegment> open;
    Mask previous;
    std::int64_t last_index = -1;  // of the previous decoded frame
    auto close = [&](std::int64_t end_frame) {
        if (!open) return;
        open->segment.end_frame = end_frame;
        open->segment.end = time_of(end_frame);
        out.segments.push_back(open->segment);
        if (open->segment.end_frame - open->segment.first_frame < kMinFrames || !open->ocr_mask) {
            ++out.dropped_short;
        } else {
            jobs.push_back(std::make_unique<OcrJob>(OcrJob{open->segment, std::move(*open->ocr_mask), {}, 0, 0}));
            pool.submit(jobs.back().get());
        }
        open.reset();
    };

    for (std::size_t i = 0; i < history.size(); ++i) {
        throw_if_cancelled();
        const auto& frame = history.frame(i);
        Mask mask = history.rows(i, y0, y1);
        const bool has_text = mask.count() >= min_pixels;
        if (open) {
            const std::size_t both = count_union(mask, previous);
            const bool changed = !has_text || (both > 0 && static_cast<double>(count_differences(mask, previous)) >
                                                               kChangedShare * static_cast<double>(both));
            if (changed) close(frame.index);
        }
        if (has_text && !open) {
            // The text appeared after the last decoded frame that did not show it.
            open = PendingSegment{};
            open->segment.first_frame = last_index + 1;
            open->segment.start = time_of(open->segment.first_frame);
            open->first_decoded = frame.index;
        }
        if (open) {
            const std::int64_t offset = frame.index - open->first_decoded;
            if (offset == 0) {
                // Kept only for a segment too short for anything better; the first frame of a
                // subtitle is often mid-fade, so the frames after it replace it.
                open->ocr_mask = mask;
            } else if (open->masks_taken < kMaskFramesPerSegment && offset >= open->next_take) {
                if (open->masks_taken == 0) open->ocr_mask = mask;
                else intersect(*open->ocr_mask, mask);
                ++open->masks_taken;
                open->next_take = offset + kMaskFrameSpacing;
            }
        }
        previous = std::move(mask);
        last_index = frame.index;
        if (i % 64 == 0) report(static_cast<double>(i) / static_cast<double>(std::max<std::size_t>(1, history.size())));
    }
    close(std::max(frames, last_index + 1));

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

HardsubExtraction extract_hardsubs(const std::filesystem::path& episode, const SubtitleBand& band, const ExtractOptions& options) {
    ScanOptions scan;
    scan.extract = options;
    scan.band = band;
    return std::move(*scan_hardsubs(episode, scan).extraction);
}

}  // namespace dramaloc::hardsubs
