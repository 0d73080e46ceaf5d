#include "hardsubs/extract.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>

#include "core/atomic_file.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/language.hpp"
#include "core/text_codec.hpp"
#include "core/parallel.hpp"
#include "hardsubs/ocr_image.hpp"
#include "hardsubs/ocr_text.hpp"

namespace dramaloc::hardsubs {
namespace {

constexpr double kMergeSimilarity = 0.7;
constexpr std::int64_t kMergeGapFrames = 4;
constexpr int kMaxSamples = 3;  // frames of a subtitle whose ink is compared
// Line heights OCR reads at: the first preparation, and another scale for a reading the
// engine was not sure of (bench/README.md has the figures these were chosen by).
constexpr int kLineHeight = 26;
constexpr int kSecondLineHeight = 32;
// A reading whose least sure character is below this is tried again from other preparations.
constexpr float kSureReading = 0.85f;
// ... or whose words the engine scores this low (its characters' confidences can stay high on
// a picture that lost its strokes).
constexpr float kSureWords = 0.6f;
// Chinese that reads this poorly on average is tried as Traditional on a few segments; the
// Traditional model is kept when it reads them better by this margin.
constexpr float kTryTraditionalBelow = 0.80f;
constexpr float kTraditionalMargin = 0.05f;
constexpr std::size_t kTraditionalProbes = 3;

struct OcrJob {
    const FoundSegment* found = nullptr;
    std::vector<const FrameSample*> samples;
    std::vector<TextColour> colours;  // what the text's colour may be, likeliest first
    std::string text;                 // the reading kept, cleaned
    float confidence = 0.0f;          // the engine's confidence in it (mean over words)
    bool failed = false;              // the engine failed on every picture
    int calls = 0;
    int failures = 0;
};

// One preparation's reading of a segment.
struct Reading {
    std::string text;
    float weakest = 0.0f;  // the least sure character's confidence
    float mean = 0.0f;     // the mean character confidence
    float words = 0.0f;    // the engine's mean word confidence: lower than the characters' for
                           // text read with the wrong model (Chinese read as English)
    std::size_t length = 0;
};

// The surest of the readings of one subtitle: the highest mean confidence, among those that
// are not much shorter than the first (a picture that lost most of its strokes can read as one
// confident character).
const Reading& best_reading(const std::vector<Reading>& readings) {
    const std::size_t first = readings.front().length;
    const Reading* best = nullptr;
    for (const auto& r : readings) {
        if (4 * r.length < 3 * first) continue;
        if (!best || r.mean > best->mean || (r.mean == best->mean && r.weakest > best->weakest)) best = &r;
    }
    return *best;
}

bool is_chinese(std::string_view language) {
    const auto info = find_language(language);
    return info && info->bcp47 == "zh";
}

// A tag that names the script ("zh-Hans", "zh-Hant", "zh-TW"…) is the user's choice; plain
// "zh" leaves it to the readings.
bool script_is_open(std::string_view language) { return language == "zh" || language == "zho" || language == "chi"; }

// ExtractOptions::pictures_dir: every picture given to OCR, as PGM, named by its segment's
// first frame and the preparation's number. For people asking why a line was misread.
void keep_picture(const std::filesystem::path& dir, const engines::GrayImage& image, const OcrJob& job, int attempt) {
    if (dir.empty()) return;
    const auto path = dir / ("frame" + std::to_string(job.found->segment.first_frame) + "-" + std::to_string(attempt) + ".pgm");
    std::string data = "P5\n" + std::to_string(image.width) + " " + std::to_string(image.height) + "\n255\n";
    data.append(image.pixels.begin(), image.pixels.end());
    write_file_atomically(path, data);
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

class SegmentReader {
public:
    SegmentReader(std::size_t min_component, std::filesystem::path pictures_dir)
        : min_component_(min_component), pictures_dir_(std::move(pictures_dir)) {}

    // Reads one job's segment in `language`, keeping the surest of its preparations.
    void read(engines::TextRecognizer& engine, OcrJob& job, const std::string& language) const {
        const FoundSegment& f = *job.found;
        const TextPlace place{&f.core, 2, 2 * f.core_y0};
        std::vector<std::function<engines::GrayImage()>> preparations;
        for (const TextColour& colour : job.colours)
            preparations.push_back([&] { return sample_ocr_image(job.samples, place, colour, InkRule::Colour, kLineHeight); });
        if (!job.colours.empty()) {
            const TextColour& colour = job.colours.front();
            preparations.push_back([&] { return sample_ocr_image(job.samples, place, colour, InkRule::Luma, kLineHeight); });
            preparations.push_back([&] { return sample_ocr_image(job.samples, place, colour, InkRule::Colour, kSecondLineHeight); });
        }
        // The mask itself: what there is when no frame of the segment was kept.
        preparations.push_back([&] { return ocr_image(f.core, min_component_, kSecondLineHeight); });
        std::vector<Reading> readings;
        int attempt = 0;
        for (const auto& prepare : preparations) {
            const engines::GrayImage image = prepare();
            ++attempt;
            if (image.width == 0) continue;
            keep_picture(pictures_dir_, image, job, attempt);
            auto result = recognize(engine, image, language, job);
            if (result.failed) continue;
            Reading r;
            r.text = clean(result, language);
            r.weakest = r.text.empty() ? 0.0f : weakest_symbol_confidence(result.symbols, result.confidence);
            r.mean = r.text.empty() ? 0.0f : mean_symbol_confidence(result.symbols, result.confidence);
            r.words = r.text.empty() ? 0.0f : result.confidence;
            r.length = code_points(r.text).size();
            readings.push_back(std::move(r));
            if (readings.back().weakest >= kSureReading && readings.back().words >= kSureWords) break;
        }
        if (readings.empty()) {
            job.failed = true;
            return;
        }
        const Reading& best = best_reading(readings);
        job.text = best.text;
        job.confidence = best.words;
    }

    std::string clean(const engines::OcrResult& result, std::string_view language) const {
        return is_chinese(language) ? chinese_ocr_text(result.symbols, result.text) : normalize_ocr_text(result.text);
    }

private:
    engines::OcrResult recognize(engines::TextRecognizer& engine, const engines::GrayImage& image, const std::string& language, OcrJob& job) const {
        auto result = engine.recognize(image, language);
        ++job.calls;
        if (result.failed) {
            // Once more on a slightly different image: the failures seen are tied to the layout.
            ++job.failures;
            result = engine.recognize(with_border(image, 16), language);
            ++job.calls;
            if (result.failed) ++job.failures;
        }
        return result;
    }

    const std::size_t min_component_;
    const std::filesystem::path pictures_dir_;
};

// Reads `jobs` on the workers, each with an engine of its own (engines keep state).
void read_all(const std::vector<OcrJob*>& jobs, const std::string& language, const SegmentReader& reader,
              std::vector<engines::TextRecognizerLease>& engines, const ExtractOptions& options, const std::function<void()>& on_done) {
    parallel_for(jobs.size(), static_cast<int>(engines.size()), [&](std::size_t worker, std::size_t i) {
        auto& engine = engines[worker];
        if (!engine) engine = engines::lease_text_recognizer(options.ocr_backend);
        reader.read(*engine, *jobs[i], language);
        on_done();
    });
}

// How far apart two colours are, in the frame's terms (luma counts half: it varies more with
// compression and antialiasing than chroma does).
int colour_distance(const TextColour& a, const TextColour& b) { return std::max({std::abs(a.y - b.y) / 2, std::abs(a.u - b.u), std::abs(a.v - b.v)}); }

// Each segment's colour from its own frames, and the episode's: subtitles keep one look, so a
// segment whose colour few others share (a bright background took over its few text pixels)
// is read in the colour most segments share first, and in its own after.
void choose_colours(std::vector<OcrJob>& jobs) {
    constexpr int kSameColour = 20;
    std::vector<std::optional<TextColour>> own(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (jobs[i].samples.empty()) continue;
        own[i] = text_colour(jobs[i].samples, TextPlace{&jobs[i].found->core, 2, 2 * jobs[i].found->core_y0});
    }
    const auto support = [&](const TextColour& c) {
        return std::count_if(own.begin(), own.end(), [&](const auto& o) { return o && colour_distance(*o, c) <= kSameColour; });
    };
    std::optional<TextColour> common;
    std::ptrdiff_t most = 0;
    for (const auto& o : own)
        if (o && support(*o) > most) most = support(*o), common = *o;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        if (!own[i]) continue;
        if (common && colour_distance(*own[i], *common) > kSameColour && 2 * support(*own[i]) < most) jobs[i].colours.push_back(*common);
        jobs[i].colours.push_back(*own[i]);
    }
}

// The same segment, not read yet (for reading it in another script).
OcrJob unread(const OcrJob& job) {
    OcrJob fresh;
    fresh.found = job.found, fresh.samples = job.samples, fresh.colours = job.colours;
    return fresh;
}

// The mean confidence over the jobs' readings (each the engine's mean over its words).
float mean_confidence(const std::vector<OcrJob*>& jobs) {
    double sum = 0;
    for (const OcrJob* j : jobs) sum += j->confidence;
    return jobs.empty() ? 1.0f : static_cast<float>(sum / static_cast<double>(jobs.size()));
}

bool can_read_traditional(engines::TextRecognizer& engine) {
    try {
        engine.require_language("zh-Hant");
        return true;
    } catch (const EngineError&) {
        return false;  // no chi_tra model: Simplified it is
    }
}

}  // namespace

SubtitleBand text_rows(const FoundSegment& segment) {
    const media::Rect box = bounding_box(segment.core);
    if (box.empty()) return {0, 0};
    return {2 * (segment.core_y0 + box.y), 2 * (segment.core_y0 + box.y + box.height)};
}

std::vector<const FrameSample*> samples_for(const FoundSegment& segment, const SamplePool& samples) {
    const SubtitleBand rows = text_rows(segment);
    auto all = samples.covering(segment.first_decoded, segment.segment.end_frame, rows.y0, rows.y1);
    // The first frame of a subtitle is often mid-fade: later ones, when there are.
    if (all.size() > 1 && all.front()->index == segment.first_decoded) all.erase(all.begin());
    if (all.size() <= static_cast<std::size_t>(kMaxSamples)) return all;
    std::vector<const FrameSample*> picked;
    for (int k = 0; k < kMaxSamples; ++k)
        picked.push_back(all[static_cast<std::size_t>(k) * (all.size() - 1) / static_cast<std::size_t>(kMaxSamples - 1)]);
    return picked;
}

HardsubExtraction read_segments(const FoundSegments& found, const SamplePool& samples, const SubtitleBand& band, FrameRate rate,
                                std::int64_t frames, const ExtractOptions& options, std::vector<engines::TextRecognizerLease> engines) {
    HardsubExtraction out;
    out.band = band;
    if (engines.empty() || !engines.front()) engines.resize(1), engines.front() = engines::lease_text_recognizer(options.ocr_backend);
    out.engine = engines.front()->version();
    out.frames = frames;
    out.segments = found.all;
    out.dropped_short = static_cast<int>(found.all.size() - found.segments.size());
    out.language = options.language;
    const auto report = [&](double fraction) {
        if (options.on_progress) options.on_progress(std::clamp(fraction, 0.0, 1.0));
    };

    std::vector<OcrJob> jobs(found.segments.size());
    std::vector<OcrJob*> pointers;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        jobs[i].found = &found.segments[i];
        jobs[i].samples = samples_for(found.segments[i], samples);
        pointers.push_back(&jobs[i]);
    }
    choose_colours(jobs);
    engines.resize(static_cast<std::size_t>(std::max(1, resolve_jobs(options.jobs))));
    if (!options.pictures_dir.empty()) std::filesystem::create_directories(options.pictures_dir);
    const SegmentReader reader(3, options.pictures_dir);
    std::size_t done = 0;
    std::mutex progress;  // the workers finish at once; the progress callback is not theirs to share
    read_all(pointers, options.language, reader, engines, options, [&] {
        const std::lock_guard lock(progress);
        report(static_cast<double>(++done) / static_cast<double>(std::max<std::size_t>(1, jobs.size())));
    });

    // Simplified Chinese read poorly may be Traditional: try the Traditional model on the
    // longest segments, and read everything with it if it reads them better.
    if (is_chinese(options.language) && script_is_open(options.language) && !jobs.empty() && mean_confidence(pointers) < kTryTraditionalBelow &&
        can_read_traditional(*engines[0])) {
        std::vector<OcrJob*> longest = pointers;
        std::sort(longest.begin(), longest.end(), [](const OcrJob* a, const OcrJob* b) {
            return a->found->segment.end_frame - a->found->segment.first_frame > b->found->segment.end_frame - b->found->segment.first_frame;
        });
        longest.resize(std::min(longest.size(), kTraditionalProbes));
        std::vector<OcrJob> probes;
        for (const OcrJob* j : longest) probes.push_back(unread(*j));
        std::vector<OcrJob*> probe_pointers;
        for (auto& p : probes) probe_pointers.push_back(&p);
        read_all(probe_pointers, "zh-Hant", reader, engines, options, [] {});
        for (const auto& p : probes) out.ocr_calls += p.calls, out.ocr_failures += p.failures;
        if (mean_confidence(probe_pointers) > mean_confidence(longest) + kTraditionalMargin) {
            for (auto& j : jobs) out.ocr_calls += j.calls, out.ocr_failures += j.failures, j = unread(j);
            read_all(pointers, "zh-Hant", reader, engines, options, [] {});
            out.language = "zh-Hant";
        }
    }

    // Merge consecutive segments that read alike; drop noise.
    const double frame_ms = 1000.0 / (rate.num > 0 && rate.den > 0 ? rate.fps() : 30.0);
    for (const OcrJob& job : jobs) {
        out.ocr_calls += job.calls;
        out.ocr_failures += job.failures;
        if (job.failed) continue;
        const std::string& text = job.text;
        if (text.empty() || is_ocr_noise(text)) {
            ++out.dropped_noise;
            continue;
        }
        const TextSegment& s = job.found->segment;
        if (!out.subtitles.empty()) {
            ExtractedSubtitle& last = out.subtitles.back();
            const bool adjacent = static_cast<double>(s.start - last.end) <= static_cast<double>(kMergeGapFrames) * frame_ms;
            if (adjacent && text_similarity(last.text, text) >= kMergeSimilarity) {
                last.end = s.end;
                if (job.confidence > last.confidence) {
                    last.text = text;
                    last.confidence = job.confidence;
                }
                ++last.segments;
                continue;
            }
        }
        out.subtitles.push_back({s.start, s.end, text, job.confidence, 1});
    }
    report(1.0);
    return out;
}

}  // namespace dramaloc::hardsubs
