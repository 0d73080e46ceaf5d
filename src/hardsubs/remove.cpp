#include "hardsubs/remove.hpp"

#include <algorithm>
#include <chrono>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include "core/error.hpp"
#include "hardsubs/text_mask.hpp"

namespace dramaloc::hardsubs {

const char* to_string(RemovalMethod method) noexcept {
    switch (method) {
        case RemovalMethod::Auto: return "auto";
        case RemovalMethod::Inpaint: return "inpaint";
        case RemovalMethod::Blur: return "blur";
    }
    return "auto";
}

RemovalMethod removal_method_from_string(const std::string& name) {
    if (name == "auto") return RemovalMethod::Auto;
    if (name == "inpaint") return RemovalMethod::Inpaint;
    if (name == "blur") return RemovalMethod::Blur;
    throw ConfigError("hardsub removal method \"" + name + "\" is unknown; use auto, inpaint or blur");
}

HardsubRemover::HardsubRemover(SubtitleBand band, std::vector<TextSegment> segments, RemovalOptions options)
    : band_(band), segments_(std::move(segments)), options_(options),
      current_(options.method == RemovalMethod::Blur ? RemovalMethod::Blur : RemovalMethod::Inpaint) {
    std::sort(segments_.begin(), segments_.end(),
              [](const TextSegment& a, const TextSegment& b) { return a.first_frame < b.first_frame; });
    cv::setNumThreads(1);  // one remover per transcode; x264 has the other cores
}

bool HardsubRemover::in_segment(std::int64_t index) {
    while (cursor_ < segments_.size() && segments_[cursor_].end_frame <= index) ++cursor_;
    return cursor_ < segments_.size() && segments_[cursor_].first_frame <= index;
}

bool HardsubRemover::clean(std::uint8_t* rgb24, int width, int height, int stride, std::int64_t index) {
    ++report_.frames_seen;
    if (!in_segment(index)) return false;
    const int y0 = std::clamp(band_.y0, 0, height);
    const int y1 = std::clamp(band_.y1, 0, height);
    if (y1 <= y0) return false;
    std::uint8_t* band_pixels = rgb24 + static_cast<std::ptrdiff_t>(y0) * stride;
    const int band_h = y1 - y0;

    // What to cover: the text, whatever its colour, and its outline (and the soft edge around
    // it). The mask is at half resolution; the cover, at full, is grown by the outline.
    const int outline = outline_radius_for_width(width);
    TextMaskOptions mask_options;
    mask_options.outline_radius = stroke_radius_for_width(width);
    const Mask half = text_mask_rgb_half({band_pixels, width, band_h, stride}, mask_options);
    if (half.count() == 0) return false;
    Mask text(width, band_h);
    for (int y = 0; y < band_h; ++y)
        for (int x = 0; x < width; ++x) text.at(x, y) = half.at(std::min(half.width - 1, x / 2), std::min(half.height - 1, y / 2));
    const Mask cover = dilate(text, outline + 2);
    const media::Rect box = bounding_box(cover);
    const int pad = options_.inpaint_radius * 2 + 2;
    const cv::Rect roi(std::max(0, box.x - pad), std::max(0, box.y - pad),
                       std::min(width, box.x + box.width + pad) - std::max(0, box.x - pad),
                       std::min(band_h, box.y + box.height + pad) - std::max(0, box.y - pad));

    cv::Mat band_mat(band_h, width, CV_8UC3, band_pixels, static_cast<std::size_t>(stride));
    cv::Mat mask_mat(cover.height, cover.width, CV_8UC1, const_cast<std::uint8_t*>(cover.bits.data()));
    cv::Mat image = band_mat(roi);
    cv::Mat mask = mask_mat(roi) * 255;

    const auto started = std::chrono::steady_clock::now();
    if (current_ == RemovalMethod::Inpaint) {
        cv::Mat filled;
        cv::inpaint(image, mask, filled, options_.inpaint_radius, cv::INPAINT_TELEA);
        filled.copyTo(image, mask);
        inpaint_ms_total_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        ++inpainted_;
        if (options_.method == RemovalMethod::Auto && !switched_ && inpainted_ >= options_.calibration_frames &&
            inpaint_ms_total_ / static_cast<double>(inpainted_) > options_.inpaint_budget_ms) {
            current_ = RemovalMethod::Blur;
            switched_ = true;
        }
    } else {
        // A soft box: the covered pixels take the mean of the uncovered ones around them, then
        // the whole box is blurred so no edge of the text survives.
        const cv::Scalar background = cv::mean(image, mask == 0);
        image.setTo(background, mask);
        const int k = std::max(3, (outline * 4) | 1);
        cv::GaussianBlur(image, image, cv::Size(k, k), 0);
        blur_ms_total_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        ++blurred_;
    }
    ++report_.frames_cleaned;
    report_.method = switched_ ? "inpaint then blur" : (inpainted_ > 0 ? "inpaint" : "blur");
    report_.inpaint_ms_per_frame = inpainted_ ? inpaint_ms_total_ / static_cast<double>(inpainted_) : 0;
    report_.blur_ms_per_frame = blurred_ ? blur_ms_total_ / static_cast<double>(blurred_) : 0;
    return true;
}

}  // namespace dramaloc::hardsubs
