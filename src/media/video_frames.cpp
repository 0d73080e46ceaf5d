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
    FramePtr planar;  // yuv420p copy of frames coded in another format (Yuv420 output)
    PacketPtr packet = make_packet();
    int stream_index = -1;
    AVRational time_base{1, 1};
    std::int64_t start_time = AV_NOPTS_VALUE;
    TimeMs duration = 0;
    int width = 0;
    int height = 0;
    FrameRate rate{0, 1};
    Rect roi;
    int out_width = 0;
    int out_height = 0;
    std::int64_t decoded = 0;  // frames out of the decoder so far
    std::int64_t packets = 0;  // of the video stream, read so far
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
                ++packets;
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

        if (options.kind == PixelKind::Yuv420) return convert_planar(out);
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

    // The planes as coded when they are 8-bit 4:2:0 (a copy, no conversion); other formats
    // go through swscale to yuv420p first.
    void convert_planar(VideoFrame& out) {
        const auto format = static_cast<AVPixelFormat>(frame->format);
        const AVFrame* source = frame.get();
        if (format != AV_PIX_FMT_YUV420P && format != AV_PIX_FMT_YUVJ420P) {
            if (!planar) {
                planar = make_frame();
                planar->format = AV_PIX_FMT_YUV420P;
                planar->width = width;
                planar->height = height;
                detail::check_av(av_frame_get_buffer(planar.get(), 0), "allocating a video frame");
            }
            SwsContext* next = sws_getCachedContext(converter, width, height, format, width, height, AV_PIX_FMT_YUV420P,
                                                    SWS_POINT, nullptr, nullptr, nullptr);
            if (!next) throw EngineError("cannot convert " + path.string() + "'s frames to yuv420p");
            if (next != converter) {
                converter_owner.release();
                converter_owner.reset(next);
                converter = next;
            }
            sws_scale(converter, frame->data, frame->linesize, 0, height, planar->data, planar->linesize);
            source = planar.get();
        }
        out.width = width;
        out.height = height;
        out.stride = width;
        const int cw = width / 2, ch = height / 2;
        const std::size_t luma = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
        const std::size_t chroma = static_cast<std::size_t>(cw) * static_cast<std::size_t>(ch);
        out.pixels.resize(luma + 2 * chroma);
        std::uint8_t* dst = out.pixels.data();
        for (int y = 0; y < height; ++y)
            std::memcpy(dst + static_cast<std::size_t>(y) * static_cast<std::size_t>(width),
                        source->data[0] + static_cast<std::ptrdiff_t>(y) * source->linesize[0], static_cast<std::size_t>(width));
        for (int plane = 1; plane <= 2; ++plane) {
            std::uint8_t* to = dst + luma + static_cast<std::size_t>(plane - 1) * chroma;
            for (int y = 0; y < ch; ++y)
                std::memcpy(to + static_cast<std::size_t>(y) * static_cast<std::size_t>(cw),
                            source->data[plane] + static_cast<std::ptrdiff_t>(y) * source->linesize[plane], static_cast<std::size_t>(cw));
        }
    }

    // The frame's place in the stream from its time (decoded frames are counted otherwise, but
    // skipped ones are not).
    std::int64_t index_from_time(std::int64_t timestamp) const {
        if (timestamp == AV_NOPTS_VALUE || rate.num <= 0) return decoded - 1;
        if (start_time != AV_NOPTS_VALUE) timestamp -= start_time;
        return av_rescale_q_rnd(timestamp, time_base, AVRational{rate.den, rate.num},
                                static_cast<AVRounding>(AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX));
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
    if (stream->duration > 0) m.duration = detail::to_ms(stream->duration, stream->time_base, AV_NOPTS_VALUE);
    else if (m.input->duration > 0) m.duration = m.input->duration / (AV_TIME_BASE / 1000);
    m.width = stream->codecpar->width;
    m.height = stream->codecpar->height;
    const AVRational avg = stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
    if (avg.num > 0 && avg.den > 0) m.rate = FrameRate{avg.num, avg.den};

    if (options.kind == PixelKind::Yuv420 && (!options.roi.empty() || options.output_width != 0 || m.width % 2 || m.height % 2))
        throw ConfigError(path.string() + ": YUV 4:2:0 frames are read whole and unscaled, from even-sized video");
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
    // Frames nothing refers to are skipped. Deblocking is kept on every frame decoded: a
    // B-frame decoded is a reference (B-pyramids, HEVC's all-B streams), and skipping its loop
    // filter would drift the picture until the next key frame (it saved 2 % of decoding).
    if (options.skip_non_reference) m.decoder->skip_frame = AVDISCARD_NONREF;
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
        out.index = m.options.skip_non_reference ? m.index_from_time(m.frame->best_effort_timestamp) : index;
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
std::int64_t VideoFrameReader::frames_in_stream() const { return impl_->packets; }
TimeMs VideoFrameReader::duration_ms() const { return impl_->duration; }
Rect VideoFrameReader::roi() const { return impl_->roi; }

}  // namespace dramaloc::media
