#include "media/video_frames.hpp"

#include <algorithm>
#include <cstring>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "media/av_handles.hpp"
#include "media/detail/input.hpp"

namespace dramaloc::media {

struct VideoFrameReader::Impl {
    std::filesystem::path path;
    VideoReadOptions options;
    InputFormatPtr input;
    CodecContextPtr decoder;
    SwsContext* converter = nullptr;  // owned by `converter_owner`; sws_getCachedContext may replace it
    SwsPtr converter_owner;
    FramePtr frame = make_frame();
    PacketPtr packet = make_packet();
    int stream_index = -1;
    AVRational time_base{1, 1};
    std::int64_t start_time = AV_NOPTS_VALUE;
    int width = 0;
    int height = 0;
    FrameRate rate{0, 1};
    Rect roi;
    int out_width = 0;
    int out_height = 0;
    std::int64_t decoded = 0;  // frames out of the decoder so far
    std::vector<std::uint8_t> scratch;  // swscale's output, rows aligned
    bool demux_done = false;

    // Decodes the next frame into `frame`; false at the end of the stream.
    bool decode_next() {
        while (true) {
            const int rc = avcodec_receive_frame(decoder.get(), frame.get());
            if (rc == 0) return true;
            if (rc == AVERROR_EOF) return false;
            if (rc != AVERROR(EAGAIN)) detail::throw_damaged(path, "video decoding failed: " + av_error_string(rc));
            throw_if_cancelled();
            if (demux_done) return false;  // defensive: a drained decoder must answer EOF
            if (!detail::read_packet(input.get(), packet.get(), path)) {
                demux_done = true;
                avcodec_send_packet(decoder.get(), nullptr);
                continue;
            }
            if (packet->stream_index == stream_index) {
                const int sent = avcodec_send_packet(decoder.get(), packet.get());
                // A damaged packet is skipped (the decoder conceals it), as players do.
                if (sent < 0 && sent != AVERROR_INVALIDDATA)
                    detail::throw_damaged(path, "video decoding failed: " + av_error_string(sent));
            }
            av_packet_unref(packet.get());
        }
    }

    void convert(VideoFrame& out) {
        if (frame->width != width || frame->height != height)
            throw InputError(path.string() + ": the picture size changes mid-stream (" + std::to_string(width) + "x" +
                             std::to_string(height) + " to " + std::to_string(frame->width) + "x" +
                             std::to_string(frame->height) + "); re-export it at one size");
        // Crop first (pointer arithmetic, no copy) so only the region is converted and scaled.
        frame->crop_left = static_cast<std::size_t>(roi.x);
        frame->crop_top = static_cast<std::size_t>(roi.y);
        frame->crop_right = static_cast<std::size_t>(width - roi.x - roi.width);
        frame->crop_bottom = static_cast<std::size_t>(height - roi.y - roi.height);
        detail::check_av(av_frame_apply_cropping(frame.get(), AV_FRAME_CROP_UNALIGNED), "cropping a video frame");

        const bool gray = options.kind == PixelKind::Gray;
        const AVPixelFormat target = gray ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_RGB24;
        const bool scaling = out_width != roi.width || out_height != roi.height;
        SwsContext* next = sws_getCachedContext(converter, frame->width, frame->height,
                                                static_cast<AVPixelFormat>(frame->format), out_width, out_height, target,
                                                scaling ? SWS_AREA : SWS_POINT, nullptr, nullptr, nullptr);
        if (!next) throw EngineError("cannot convert " + path.string() + "'s frames to " + (gray ? "gray" : "RGB"));
        if (next != converter) {
            converter_owner.release();  // sws_getCachedContext already freed the old one
            converter_owner.reset(next);
            converter = next;
            // Output full-range values (0..255) whatever the source range, so gray levels compare
            // with RGB-derived luma; BT.709 for HD sources, BT.601 otherwise.
            const int colorspace = frame->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601;
            const int* coefficients = sws_getCoefficients(colorspace);
            const int source_full = frame->color_range == AVCOL_RANGE_JPEG ? 1 : 0;
            sws_setColorspaceDetails(converter, coefficients, source_full, coefficients, 1, 0, 1 << 16, 1 << 16);
        }
        out.width = out_width;
        out.height = out_height;
        out.stride = out_width * (gray ? 1 : 3);
        out.pixels.resize(static_cast<std::size_t>(out.stride) * static_cast<std::size_t>(out_height));
        // swscale's SIMD paths write whole vectors past a row's last pixel: convert into rows
        // aligned to 64 bytes with a spare row (as FFmpeg's own buffers are), then pack them.
        const int aligned_stride = (out.stride + 63) / 64 * 64;
        scratch.resize(static_cast<std::size_t>(aligned_stride) * static_cast<std::size_t>(out_height + 1));
        std::uint8_t* dst[1] = {scratch.data()};
        const int dst_stride[1] = {aligned_stride};
        sws_scale(converter, frame->data, frame->linesize, 0, frame->height, dst, dst_stride);
        for (int y = 0; y < out_height; ++y)
            std::memcpy(out.pixels.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(out.stride),
                        scratch.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(aligned_stride),
                        static_cast<std::size_t>(out.stride));
    }
};

VideoFrameReader::VideoFrameReader(const std::filesystem::path& path, VideoReadOptions options)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.path = path;
    m.options = options;
    if (options.frame_step < 1)
        throw ConfigError("frame step " + std::to_string(options.frame_step) + " must be 1 or more");
    if (options.output_width < 0)
        throw ConfigError("output width " + std::to_string(options.output_width) + " must be 0 (unscaled) or more");
    m.input = detail::open_input(path, false);
    int index = detail::best_stream(m.input.get(), AVMEDIA_TYPE_VIDEO);
    if (index < 0 || m.input->streams[index]->codecpar->width <= 0) {
        const int rc = avformat_find_stream_info(m.input.get(), nullptr);
        if (rc < 0) throw InputError(path.string() + ": not a media file FFmpeg can read (" + av_error_string(rc) + ")");
    }
    m.stream_index = detail::require_best_stream(m.input.get(), AVMEDIA_TYPE_VIDEO, path);
    for (unsigned i = 0; i < m.input->nb_streams; ++i)
        if (static_cast<int>(i) != m.stream_index) m.input->streams[i]->discard = AVDISCARD_ALL;
    const AVStream* stream = m.input->streams[m.stream_index];
    m.time_base = stream->time_base;
    m.start_time = stream->start_time;
    m.width = stream->codecpar->width;
    m.height = stream->codecpar->height;
    const AVRational avg = stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
    if (avg.num > 0 && avg.den > 0) m.rate = FrameRate{avg.num, avg.den};

    m.roi = options.roi.empty() ? Rect{0, 0, m.width, m.height} : options.roi;
    const Rect& r = m.roi;
    if (r.x < 0 || r.y < 0 || r.x + r.width > m.width || r.y + r.height > m.height)
        throw InputError(path.string() + ": band y" + std::to_string(r.y) + ":" + std::to_string(r.y + r.height) +
                         " x" + std::to_string(r.x) + ":" + std::to_string(r.x + r.width) + " is outside the " +
                         std::to_string(m.width) + "x" + std::to_string(m.height) +
                         " frame; choose a band inside the picture");
    m.out_width = options.output_width > 0 ? options.output_width : r.width;
    m.out_height = options.output_width > 0
                       ? std::max(1, static_cast<int>((static_cast<std::int64_t>(r.height) * m.out_width + r.width / 2) / r.width))
                       : r.height;
    m.decoder = detail::open_decoder(stream, path, 0);
    if (options.keyframes_only) m.decoder->skip_frame = AVDISCARD_NONKEY;
}

VideoFrameReader::~VideoFrameReader() = default;
VideoFrameReader::VideoFrameReader(VideoFrameReader&&) noexcept = default;
VideoFrameReader& VideoFrameReader::operator=(VideoFrameReader&&) noexcept = default;

bool VideoFrameReader::next(VideoFrame& out) {
    Impl& m = *impl_;
    while (m.decode_next()) {
        const std::int64_t index = m.decoded++;
        if (index % m.options.frame_step != 0) {
            av_frame_unref(m.frame.get());
            continue;
        }
        out.index = index;
        out.pts = detail::to_ms(m.frame->best_effort_timestamp, m.time_base, m.start_time);
        m.convert(out);
        av_frame_unref(m.frame.get());
        return true;
    }
    return false;
}

int VideoFrameReader::source_width() const { return impl_->width; }
int VideoFrameReader::source_height() const { return impl_->height; }
FrameRate VideoFrameReader::frame_rate() const { return impl_->rate; }
Rect VideoFrameReader::roi() const { return impl_->roi; }

}  // namespace dramaloc::media
