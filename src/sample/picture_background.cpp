#include "sample/picture_background.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "core/error.hpp"
#include "media/video_frames.hpp"
#include "sample/soundtrack.hpp"  // SeededRandom

namespace dramaloc::sample {
namespace {

namespace fs = std::filesystem;

// One file: a still photograph kept whole, or a clip read frame by frame as shots need it.
struct Source {
    fs::path path;
    std::optional<media::VideoFrame> still;        // a photograph, RGB24 at its own size
    std::unique_ptr<media::VideoFrameReader> clip;  // a video, cropped and scaled to the frame
};

// A shot: `frames` frames of one source; for a photograph, a window of the frame's shape that
// moves from `from` to `to` (centre x, centre y, zoom; zoom 1 is the largest window that fits).
struct Shot {
    std::size_t source = 0;
    std::int64_t first = 0;
    std::int64_t frames = 0;
    double from[3] = {0.5, 0.5, 1.0};
    double to[3] = {0.5, 0.5, 1.0};
};

media::VideoReadOptions clip_options(const fs::path& path, int width, int height) {
    // The largest centred region of the clip with the frame's shape, scaled to the frame.
    const media::VideoFrameReader probe(path);
    const int cw = probe.source_width(), ch = probe.source_height();
    media::VideoReadOptions o;
    o.kind = media::PixelKind::Rgb24;
    int rw = cw, rh = static_cast<int>(std::lround(static_cast<double>(cw) * height / width));
    if (rh > ch) rh = ch, rw = static_cast<int>(std::lround(static_cast<double>(ch) * width / height));
    o.roi = {(cw - rw) / 2 & ~1, (ch - rh) / 2 & ~1, rw & ~1, rh & ~1};
    o.output_width = width;
    return o;
}

class PictureBackground : public FrameBackground {
public:
    PictureBackground(const std::vector<fs::path>& files, int width, int height, FrameRate fps, std::uint64_t seed)
        : width_(width), height_(height), fps_(fps.fps() > 0 ? fps.fps() : 30.0), random_(seed ^ 0x9E3779B97F4A7C15ull) {
        if (files.empty()) throw InputError("a picture background needs at least one photograph or video file");
        for (const fs::path& file : files) {
            Source source;
            source.path = file;
            media::VideoReadOptions read;
            read.kind = media::PixelKind::Rgb24;
            media::VideoFrameReader reader(file, read);  // throws InputError naming the file
            media::VideoFrame first, second;
            if (!reader.next(first)) throw InputError(file.string() + ": holds no picture");
            if (reader.next(second)) source.clip = std::make_unique<media::VideoFrameReader>(file, clip_options(file, width, height));
            else source.still = std::move(first);
            sources_.push_back(std::move(source));
        }
        frame_.pixels.reserve(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
    }

    void paint(std::int64_t index, std::uint8_t* rgb24, int stride) override {
        while (shots_.empty() || index >= shots_.back().first + shots_.back().frames) add_shot();
        const Shot& shot = *std::find_if(shots_.rbegin(), shots_.rend(), [&](const Shot& s) { return s.first <= index; });
        Source& source = sources_[shot.source];
        if (source.clip) paint_clip(source, rgb24, stride);
        else paint_still(*source.still, shot, index, rgb24, stride);
    }

private:
    void add_shot() {
        Shot shot;
        shot.first = shots_.empty() ? 0 : shots_.back().first + shots_.back().frames;
        shot.source = shots_.size() % sources_.size();
        shot.frames = std::max<std::int64_t>(1, std::llround(fps_ * (3.0 + 3.0 * random_.uniform())));  // 3-6 s
        // The camera drifts across a good part of the picture and zooms in or out by up to a third.
        for (double* end : {shot.from, shot.to}) {
            end[0] = 0.15 + 0.7 * random_.uniform();
            end[1] = 0.25 + 0.5 * random_.uniform();
            end[2] = 1.0 + 0.35 * random_.uniform();
        }
        shots_.push_back(shot);
    }

    void paint_clip(Source& source, std::uint8_t* rgb24, int stride) {
        if (!source.clip->next(frame_)) {  // the clip ended: loop it
            source.clip = std::make_unique<media::VideoFrameReader>(source.path, clip_options(source.path, width_, height_));
            if (!source.clip->next(frame_)) throw InputError(source.path.string() + ": could not be read again from its start");
        }
        const std::size_t row = static_cast<std::size_t>(std::min(width_, frame_.width)) * 3;
        for (int y = 0; y < height_; ++y) {
            const int sy = std::min(frame_.height - 1, y);  // a row or two of rounding at the bottom
            std::memcpy(rgb24 + static_cast<std::ptrdiff_t>(y) * stride, &frame_.pixels[static_cast<std::size_t>(sy) * static_cast<std::size_t>(frame_.stride)], row);
        }
    }

    // Bilinear sampling of the shot's window at this frame, in 16.16 fixed point.
    void paint_still(const media::VideoFrame& photo, const Shot& shot, std::int64_t index, std::uint8_t* rgb24, int stride) const {
        const double t0 = static_cast<double>(index - shot.first) / static_cast<double>(std::max<std::int64_t>(1, shot.frames - 1));
        const double t = t0 * t0 * (3 - 2 * t0);  // eases in and out, as a camera operator would
        const double cx = shot.from[0] + (shot.to[0] - shot.from[0]) * t;
        const double cy = shot.from[1] + (shot.to[1] - shot.from[1]) * t;
        const double zoom = shot.from[2] + (shot.to[2] - shot.from[2]) * t;
        const double pw = photo.width, ph = photo.height;
        double wh = std::min(ph, pw * height_ / width_) / zoom;
        double ww = wh * width_ / height_;
        const double x0 = std::clamp(cx * pw - ww / 2, 0.0, pw - ww), y0 = std::clamp(cy * ph - wh / 2, 0.0, ph - wh);
        const double sx = ww / width_, sy = wh / height_;
        std::vector<int> col(static_cast<std::size_t>(width_)), fx(static_cast<std::size_t>(width_));
        for (int x = 0; x < width_; ++x) {
            const double u = std::clamp(x0 + (x + 0.5) * sx - 0.5, 0.0, pw - 1.001);
            col[static_cast<std::size_t>(x)] = static_cast<int>(u);
            fx[static_cast<std::size_t>(x)] = static_cast<int>((u - static_cast<int>(u)) * 65536);
        }
        for (int y = 0; y < height_; ++y) {
            const double v = std::clamp(y0 + (y + 0.5) * sy - 0.5, 0.0, ph - 1.001);
            const int r = static_cast<int>(v);
            const int fy = static_cast<int>((v - r) * 65536);
            const std::uint8_t* a = &photo.pixels[static_cast<std::size_t>(r) * static_cast<std::size_t>(photo.stride)];
            const std::uint8_t* b = a + photo.stride;
            std::uint8_t* out = rgb24 + static_cast<std::ptrdiff_t>(y) * stride;
            for (int x = 0; x < width_; ++x) {
                const int c = col[static_cast<std::size_t>(x)] * 3, f = fx[static_cast<std::size_t>(x)];
                for (int k = 0; k < 3; ++k) {
                    const std::int64_t top = a[c + k] * (65536 - f) + a[c + 3 + k] * f;
                    const std::int64_t bottom = b[c + k] * (65536 - f) + b[c + 3 + k] * f;
                    out[x * 3 + k] = static_cast<std::uint8_t>((top * (65536 - fy) + bottom * fy + (std::int64_t{1} << 31)) >> 32);
                }
            }
        }
    }

    int width_;
    int height_;
    double fps_;
    SeededRandom random_;
    std::vector<Source> sources_;
    std::vector<Shot> shots_;
    media::VideoFrame frame_;
};

}  // namespace

std::unique_ptr<FrameBackground> make_picture_background(const std::vector<fs::path>& files, int width, int height,
                                                         FrameRate fps, std::uint64_t seed) {
    return std::make_unique<PictureBackground>(files, width, height, fps, seed);
}

}  // namespace dramaloc::sample
