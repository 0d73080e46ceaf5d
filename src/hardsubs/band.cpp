#include "hardsubs/band.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/error.hpp"
#include "hardsubs/mask_history.hpp"
#include "hardsubs/text_mask.hpp"

namespace dramaloc::hardsubs {
namespace {

constexpr double kStaticShare = 0.8;  // set in this share of the frames: a logo, not a subtitle

int parse_int(std::string_view s, std::string_view whole) {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || s.empty())
        throw InputError("--subtitle-band \"" + std::string(whole) + "\": expected two row numbers y0:y1, e.g. 1400:1650");
    return v;
}

constexpr int kMaxSamples = 240;  // frames looked at, at most (spread over the episode)

// What the sampled frames add up to: how often each pixel was text, and each frame's text
// pixels per row.
struct Sampled {
    int width = 0;
    int height = 0;
    std::vector<std::uint32_t> count;               // per pixel: frames in which it was text
    std::vector<std::vector<std::uint16_t>> rows;  // per frame: text pixels in each row
    std::size_t frames() const { return rows.size(); }
};

Sampled sample_masks(const MaskHistory& history) {
    Sampled s;
    s.width = history.width();
    s.height = history.height();
    s.count.assign(static_cast<std::size_t>(s.width) * static_cast<std::size_t>(s.height), 0);
    if (history.size() == 0) return s;
    const TimeMs duration = history.frame(history.size() - 1).pts - history.frame(0).pts;
    const TimeMs spacing = duration / kMaxSamples;
    TimeMs next_pts = history.frame(0).pts;
    for (std::size_t i = 0; i < history.size(); ++i) {
        // Only masks of whole frames say where text comes and goes.
        if (!history.frame(i).whole() || history.frame(i).pts < next_pts) continue;
        next_pts = history.frame(i).pts + spacing;
        std::vector<std::uint16_t> per_row(static_cast<std::size_t>(s.height), 0);
        history.for_each_run(i, [&](int y, int x0, int x1) {
            auto* c = &s.count[static_cast<std::size_t>(y) * static_cast<std::size_t>(s.width)];
            for (int x = x0; x < x1; ++x) ++c[x];
            per_row[static_cast<std::size_t>(y)] = static_cast<std::uint16_t>(per_row[static_cast<std::size_t>(y)] + (x1 - x0));
        });
        s.rows.push_back(std::move(per_row));
    }
    return s;
}

}  // namespace

std::string to_string(const SubtitleBand& band) { return std::to_string(band.y0) + ":" + std::to_string(band.y1); }

SubtitleBand parse_band(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
        throw InputError("--subtitle-band \"" + std::string(text) + "\": expected two row numbers y0:y1, e.g. 1400:1650");
    SubtitleBand band{parse_int(text.substr(0, colon), text), parse_int(text.substr(colon + 1), text)};
    if (band.y0 < 0 || band.y1 <= band.y0)
        throw InputError("--subtitle-band " + std::string(text) + ": y0 must be at least 0 and less than y1");
    return band;
}

void check_band_inside(const SubtitleBand& band, int frame_width, int frame_height, const std::string& what) {
    if (band.y0 < 0 || band.y1 > frame_height || band.y0 >= band.y1)
        throw InputError(what + ": subtitle band " + to_string(band) + " is outside the " + std::to_string(frame_width) + "x" +
                         std::to_string(frame_height) + " frame; give rows between 0 and " + std::to_string(frame_height));
}

BandDetection detect_band(const MaskHistory& history, int frame_height) {
    BandDetection result;
    const Sampled s = sample_masks(history);
    result.frames_examined = static_cast<int>(s.frames());
    if (s.frames() == 0) return result;

    const int w = s.width, h = s.height;
    const std::vector<std::uint32_t>& count = s.count;
    const auto n = static_cast<double>(s.frames());
    // Static text, with a pixel's margin round it: the edges of a logo's letters flicker in
    // and out of the mask from frame to frame, and must not pass for text that comes and goes.
    Mask fixed(w, h);
    if (n >= 4)
        for (std::size_t i = 0; i < count.size(); ++i) fixed.bits[i] = count[i] >= kStaticShare * n;
    fixed = dilate(fixed, 1);
    const auto is_static = [&](std::size_t i) { return fixed.bits[i] != 0; };

    // Row activity: how often subtitle-like pixels that come and go were seen in each row.
    std::vector<double> activity(static_cast<std::size_t>(h), 0.0);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::size_t i = static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x);
            if (!is_static(i)) activity[static_cast<std::size_t>(y)] += count[i];
        }
    const double peak = *std::max_element(activity.begin(), activity.end());
    if (peak <= 0) return result;

    // Runs of active rows (small gaps, such as between two subtitle lines, bridged); the
    // run with the most activity is the band.
    const double threshold = 0.05 * peak;
    const int max_gap = std::max(2, h / 64);
    int best_y0 = -1, best_y1 = -1;
    double best_sum = 0;
    for (int y = 0; y < h;) {
        if (activity[static_cast<std::size_t>(y)] < threshold) {
            ++y;
            continue;
        }
        int end = y, gap = 0;
        double sum = 0;
        for (int z = y; z < h; ++z) {
            if (activity[static_cast<std::size_t>(z)] >= threshold) {
                end = z + 1;
                gap = 0;
                sum += activity[static_cast<std::size_t>(z)];
            } else if (++gap > max_gap) {
                break;
            }
        }
        if (sum > best_sum) best_sum = sum, best_y0 = y, best_y1 = end;
        y = end + 1;
    }
    if (best_y0 < 0) return result;

    // Evidence: subtitle-like text in the run in at least two examined frames, and enough of it
    // (static pixels, set in nearly every frame, are taken off each frame's count).
    const int run_height = best_y1 - best_y0;
    std::size_t static_in_run = 0;
    for (int y = best_y0; y < best_y1; ++y)
        for (int x = 0; x < w; ++x)
            static_in_run += is_static(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x));
    for (const auto& per_row : s.rows) {
        std::size_t in_run = 0;
        for (int y = best_y0; y < best_y1; ++y) in_run += per_row[static_cast<std::size_t>(y)];
        in_run = in_run > static_in_run ? in_run - static_in_run : 0;
        if (in_run >= static_cast<std::size_t>(std::max(20, w / 20))) ++result.frames_with_text;
    }
    if (result.frames_with_text < 2) return result;

    // Full-size rows, padded: one and a half line heights above (a two-line subtitle grows upwards from a
    // fixed bottom margin) and half of one below (the outline and descenders).
    const int full_h = frame_height;
    const auto to_full = [&](int y) { return static_cast<int>(static_cast<long long>(y) * full_h / h); };
    const int y0 = std::max(0, to_full(best_y0 - std::max(6, run_height * 3 / 2)));
    const int y1 = std::min(full_h, to_full(best_y1 + std::max(8, run_height / 2)));
    result.band = SubtitleBand{y0 & ~1, std::min(full_h, (y1 + 1) & ~1)};
    return result;
}

}  // namespace dramaloc::hardsubs
