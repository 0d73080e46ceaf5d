#include "sample/backgrounds.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "sample/soundtrack.hpp"  // SeededRandom

namespace dramaloc::sample {
namespace {

struct Rgb {
    double r, g, b;
};

Rgb mix(const Rgb& a, const Rgb& b, double t) {
    return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

void put(std::uint8_t* px, const Rgb& c) {
    px[0] = static_cast<std::uint8_t>(std::clamp(c.r, 0.0, 255.0));
    px[1] = static_cast<std::uint8_t>(std::clamp(c.g, 0.0, 255.0));
    px[2] = static_cast<std::uint8_t>(std::clamp(c.b, 0.0, 255.0));
}

// Fills `count` pixels with the pixel at `row` by doubling copies (fast for long rows).
void replicate_first_pixel(std::uint8_t* row, int count) {
    int filled = 1;
    while (filled < count) {
        const int n = std::min(filled, count - filled);
        std::memcpy(row + filled * 3, row, static_cast<std::size_t>(n) * 3);
        filled += n;
    }
}

// Smooth value noise on a lattice that wraps every `cells` cells, so the texture tiles.
class TileableNoise {
public:
    TileableNoise(int cells_x, int cells_y, SeededRandom& random) : cx_(cells_x), cy_(cells_y), v_(cells_x * cells_y) {
        for (double& v : v_) v = random.uniform();
    }
    double at(double x, double y) const {  // x in [0, cx), y in [0, cy)
        const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
        const double fx = smooth(x - x0), fy = smooth(y - y0);
        const double a = get(x0, y0), b = get(x0 + 1, y0), c = get(x0, y0 + 1), d = get(x0 + 1, y0 + 1);
        return (a + (b - a) * fx) + ((c + (d - c) * fx) - (a + (b - a) * fx)) * fy;
    }

private:
    static double smooth(double t) { return t * t * (3 - 2 * t); }
    double get(int x, int y) const { return v_[static_cast<std::size_t>((y % cy_) * cx_ + (x % cx_))]; }
    int cx_, cy_;
    std::vector<double> v_;
};

}  // namespace

const char* to_string(Background background) noexcept {
    switch (background) {
        case Background::Plain: return "plain";
        case Background::Striped: return "striped";
        case Background::Busy: return "busy";
    }
    return "plain";
}

std::optional<Background> background_from_string(std::string_view name) noexcept {
    for (const Background b : {Background::Plain, Background::Striped, Background::Busy}) {
        if (name == to_string(b)) return b;
    }
    return std::nullopt;
}

BackgroundPainter::BackgroundPainter(Background kind, int width, int height, std::uint64_t seed)
    : kind_(kind), width_(width), height_(height) {
    SeededRandom random(seed ^ 0xBAC6ull);
    const double hue_shift = random.uniform();
    const Rgb dusk{40 + 60 * hue_shift, 30, 90 - 40 * hue_shift};
    const Rgb warm{150, 90 + 40 * hue_shift, 70};
    const Rgb night{15, 20, 45};

    if (kind == Background::Plain) {
        // A cycle of 2*height rows: dusk -> warm -> dusk, scrolled one row per frame.
        period_ = 2 * height;
        pixels_.resize(static_cast<std::size_t>(period_) * width * 3);
        for (int y = 0; y < period_; ++y) {
            const double t = 0.5 - 0.5 * std::cos(2 * M_PI * y / period_);
            std::uint8_t* row = &pixels_[static_cast<std::size_t>(y) * width * 3];
            put(row, mix(mix(night, dusk, 0.6), warm, t * 0.8));
            replicate_first_pixel(row, width);
        }
    } else if (kind == Background::Striped) {
        period_ = std::max(8, width / 9);
        const int length = width + period_;
        pixels_.resize(static_cast<std::size_t>(length) * 3);
        for (int x = 0; x < length; ++x) {
            const double phase = static_cast<double>(x % period_) / period_;
            const double t = 0.5 + 0.5 * std::sin(2 * M_PI * phase);  // soft-edged stripes
            put(&pixels_[static_cast<std::size_t>(x) * 3], mix(dusk, warm, t));
        }
    } else {
        pixels_.resize(static_cast<std::size_t>(width) * height * 3);
        const int base_cells_x = std::max(2, width / 135), base_cells_y = std::max(2, height / 135);
        std::vector<TileableNoise> octaves;
        for (int o = 0; o < 5; ++o) octaves.emplace_back(base_cells_x << o, base_cells_y << o, random);
        // Bright "city lights": small glowing discs scattered over the texture.
        struct Spot { double x, y, radius; };
        std::vector<Spot> spots;
        for (int i = 0; i < 60; ++i) {
            spots.push_back({random.uniform() * width, random.uniform() * height, 6 + 18 * random.uniform()});
        }
        for (int y = 0; y < height; ++y) {
            for (int x = 0; x < width; ++x) {
                double v = 0, amp = 0.5;
                for (int o = 0; o < 5; ++o) {
                    v += amp * octaves[static_cast<std::size_t>(o)].at(
                                   static_cast<double>(x) * (base_cells_x << o) / width,
                                   static_cast<double>(y) * (base_cells_y << o) / height);
                    amp *= 0.5;
                }
                Rgb c = v < 0.5 ? mix(night, dusk, v * 2) : mix(dusk, warm, (v - 0.5) * 2);
                put(&pixels_[(static_cast<std::size_t>(y) * width + x) * 3], c);
            }
        }
        for (const Spot& s : spots) {
            const int r = static_cast<int>(s.radius * 2);
            for (int dy = -r; dy <= r; ++dy) {
                for (int dx = -r; dx <= r; ++dx) {
                    const double d = std::sqrt(double(dx * dx + dy * dy)) / s.radius;
                    if (d > 2) continue;
                    const double glow = d < 1 ? 0.85 : 0.85 * (2 - d);
                    const int px = (static_cast<int>(s.x) + dx + width) % width;
                    const int py = (static_cast<int>(s.y) + dy + height) % height;
                    std::uint8_t* p = &pixels_[(static_cast<std::size_t>(py) * width + px) * 3];
                    put(p, mix({double(p[0]), double(p[1]), double(p[2])}, {255, 236, 190}, glow));
                }
            }
        }
    }
}

void BackgroundPainter::paint(std::int64_t index, std::uint8_t* rgb24, int stride) {
    const std::size_t row_bytes = static_cast<std::size_t>(width_) * 3;
    for (int y = 0; y < height_; ++y) {
        std::uint8_t* dst = rgb24 + static_cast<std::ptrdiff_t>(y) * stride;
        if (kind_ == Background::Plain) {
            const auto src_row = static_cast<std::size_t>((y + index) % period_);
            std::memcpy(dst, &pixels_[src_row * row_bytes], row_bytes);
        } else if (kind_ == Background::Striped) {
            // Moving 3 px per frame along the diagonal: offset depends on x + y.
            const auto offset = static_cast<std::size_t>((y + 3 * index) % period_);
            std::memcpy(dst, &pixels_[offset * 3], row_bytes);
        } else {
            const auto sy = static_cast<std::size_t>((y + 4 * index) % height_);
            const auto sx = static_cast<std::size_t>((2 * index) % width_);
            const std::uint8_t* src = &pixels_[sy * row_bytes];
            std::memcpy(dst, src + sx * 3, row_bytes - sx * 3);
            std::memcpy(dst + (row_bytes - sx * 3), src, sx * 3);
        }
    }
}

CornerLogo::CornerLogo(int frame_width, int frame_height) {
    const double scale = frame_width / 1080.0;
    area_.width = std::max(40, static_cast<int>(std::lround(300 * scale))) & ~1;
    area_.height = std::max(16, static_cast<int>(std::lround(96 * scale))) & ~1;
    area_.x = std::max(0, frame_width - area_.width - static_cast<int>(std::lround(40 * scale)));
    area_.y = std::min(frame_height - area_.height, static_cast<int>(std::lround(70 * scale)));
    patch_.resize(static_cast<std::size_t>(area_.width) * area_.height * 3);
    for (std::size_t i = 0; i < patch_.size(); i += 3) {
        patch_[i] = 150;  // deep red badge
        patch_[i + 1] = 20;
        patch_[i + 2] = 40;
    }
    subtitles::RenderStyle style;
    style.font_size_px = std::max(8, static_cast<int>(std::lround(52 * scale)));
    style.outline_px = 0;
    style.alignment = 5;
    style.margin_bottom_px = 0;
    style.margin_side_px = 0;
    style.primary_rgb = 0xFFE9A8;
    subtitles::SubtitleRenderer renderer(area_.width, area_.height, style);
    renderer.set_events({SubtitleEvent{1, 0, 1000, {"星光短剧"}, "", ""}}, "zh");
    renderer.render(0, patch_.data(), area_.width * 3);
}

void CornerLogo::paint(std::uint8_t* rgb24, int stride) const {
    const std::size_t row_bytes = static_cast<std::size_t>(area_.width) * 3;
    for (int y = 0; y < area_.height; ++y) {
        std::memcpy(rgb24 + static_cast<std::ptrdiff_t>(area_.y + y) * stride + area_.x * 3,
                    &patch_[static_cast<std::size_t>(y) * row_bytes], row_bytes);
    }
}

}  // namespace dramaloc::sample
