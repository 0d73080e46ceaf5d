#include "media/video_encode.hpp"

#include <cstring>
#include <vector>

#include "core/atomic_file.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "media/av_handles.hpp"
#include "media/detail/encoders.hpp"
#include "media/detail/input.hpp"
#include "media/detail/output.hpp"

namespace dramaloc::media {

namespace fs = std::filesystem;

namespace {

// Decoded frame -> RGB for the painter (at the coded size) -> yuv420p for x264 (at the output
// size: scaled when it differs).
class PaintPipeline {
public:
    PaintPipeline(int width, int height, int out_width, int out_height)
        // swscale's SIMD paths read and write whole vectors past a row's last pixel: rows are
        // aligned to 64 bytes and the buffer has a spare row, as FFmpeg's own buffers do.
        : width_(width), height_(height), rgb_stride_((width * 3 + 63) / 64 * 64),
          rgb_(static_cast<std::size_t>(rgb_stride_) * (height + 1)), yuv_(make_frame()) {
        yuv_->format = AV_PIX_FMT_YUV420P;
        yuv_->width = out_width;
        yuv_->height = out_height;
        detail::check_av(av_frame_get_buffer(yuv_.get(), 0), "allocating a video frame");
        const int scaling = out_width == width && out_height == height ? SWS_BILINEAR : SWS_BICUBIC;
        from_rgb_.reset(sws_getContext(width, height, AV_PIX_FMT_RGB24, out_width, out_height, AV_PIX_FMT_YUV420P, scaling,
                                       nullptr, nullptr, nullptr));
        if (!from_rgb_) throw EngineError("cannot create the RGB to YUV converter");
    }

    AVFrame* paint(const AVFrame* decoded, std::int64_t index, TimeMs pts,
                   const std::function<void(VideoFrameRgb&, TimeMs)>& painter) {
        to_rgb_ = sws_getCachedContext(to_rgb_, decoded->width, decoded->height,
                                       static_cast<AVPixelFormat>(decoded->format), width_, height_, AV_PIX_FMT_RGB24,
                                       SWS_BILINEAR, nullptr, nullptr, nullptr);
        if (!to_rgb_) throw EngineError("cannot convert decoded video to RGB");
        to_rgb_owner_.release();
        to_rgb_owner_.reset(to_rgb_);
        std::uint8_t* rgb_planes[1] = {rgb_.data()};
        const int rgb_stride[1] = {rgb_stride_};
        sws_scale(to_rgb_, decoded->data, decoded->linesize, 0, decoded->height, rgb_planes, rgb_stride);
        VideoFrameRgb view{width_, height_, rgb_stride_, rgb_.data(), index};
        painter(view, pts);
        detail::check_av(av_frame_make_writable(yuv_.get()), "video frame");
        const std::uint8_t* src[1] = {rgb_.data()};
        sws_scale(from_rgb_.get(), src, rgb_stride, 0, height_, yuv_->data, yuv_->linesize);
        return yuv_.get();
    }

private:
    int width_;
    int height_;
    int rgb_stride_;
    std::vector<std::uint8_t> rgb_;
    FramePtr yuv_;
    SwsPtr from_rgb_;
    SwsContext* to_rgb_ = nullptr;
    SwsPtr to_rgb_owner_;
};

}  // namespace

void transcode_video(const fs::path& input, const fs::path& output,
                     const std::function<void(VideoFrameRgb& frame, TimeMs pts)>& paint,
                     const VideoTranscodeOptions& options) {
    InputFormatPtr in = detail::open_input(input);
    const int video_index = detail::require_best_stream(in.get(), AVMEDIA_TYPE_VIDEO, input);
    AVStream* in_video = in->streams[video_index];
    CodecContextPtr decoder = detail::open_decoder(in_video, input, 0);

    AtomicFile file(output);
    OutputFormatPtr out = detail::create_mp4_output(file);
    av_dict_copy(&out->metadata, in->metadata, 0);
    AVRational rate = in_video->avg_frame_rate.num > 0 ? in_video->avg_frame_rate : in_video->r_frame_rate;
    if (rate.num <= 0 || rate.den <= 0) rate = AVRational{30, 1};
    // Encode in the input's time base, so every frame keeps its exact timestamp (VFR stays VFR).
    const int out_width = options.width > 0 ? options.width : decoder->width;
    const int out_height = options.height > 0 ? options.height : decoder->height;
    CodecContextPtr encoder = detail::open_h264_encoder({.width = out_width,
                                                         .height = out_height,
                                                         .time_base = in_video->time_base,
                                                         .frame_rate = rate,
                                                         .crf = options.crf,
                                                         .preset = options.preset,
                                                         .global_header = true,
                                                         .max_bitrate_kbps = options.max_bitrate_kbps});
    AVStream* out_video = avformat_new_stream(out.get(), nullptr);
    if (!out_video) throw std::bad_alloc();
    detail::check_av(avcodec_parameters_from_context(out_video->codecpar, encoder.get()), "copying encoder parameters");
    out_video->time_base = encoder->time_base;
    out_video->avg_frame_rate = rate;
    av_dict_copy(&out_video->metadata, in_video->metadata, 0);
    out_video->disposition = AV_DISPOSITION_DEFAULT;
    for (int i = 0; i < in_video->nb_side_data; ++i) {
        const AVPacketSideData& side = in_video->side_data[i];
        if (side.type != AV_PKT_DATA_DISPLAYMATRIX) continue;  // codec-specific side data no longer applies
        std::uint8_t* copy = av_stream_new_side_data(out_video, side.type, side.size);
        if (!copy) throw std::bad_alloc();
        std::memcpy(copy, side.data, side.size);
    }

    // Audio streams are copied unchanged.
    std::vector<AVStream*> copied(in->nb_streams, nullptr);
    for (unsigned i = 0; i < in->nb_streams; ++i) {
        const AVStream* st = in->streams[i];
        if (st->codecpar->codec_type != AVMEDIA_TYPE_AUDIO) {
            if (static_cast<int>(i) != video_index) in->streams[i]->discard = AVDISCARD_ALL;
            continue;
        }
        AVStream* o = avformat_new_stream(out.get(), nullptr);
        if (!o) throw std::bad_alloc();
        detail::check_av(avcodec_parameters_copy(o->codecpar, st->codecpar), "copying audio parameters");
        o->codecpar->codec_tag = 0;
        o->time_base = st->time_base;
        o->disposition = st->disposition;
        av_dict_copy(&o->metadata, st->metadata, 0);
        copied[i] = o;
    }
    detail::open_and_write_header(out.get(), file, options.faststart);

    PaintPipeline pipeline(decoder->width, decoder->height, out_width, out_height);
    PacketPtr packet = make_packet();
    PacketPtr encoded = make_packet();
    FramePtr frame = make_frame();
    std::int64_t index = 0;
    auto write_video = [&](AVPacket* p) {
        av_packet_rescale_ts(p, encoder->time_base, out_video->time_base);
        p->stream_index = out_video->index;
        detail::write_packet(out.get(), p, file);
    };
    auto drain_decoder = [&] {
        while (true) {
            const int rc = avcodec_receive_frame(decoder.get(), frame.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            if (rc < 0) detail::throw_damaged(input, "video decoding failed: " + av_error_string(rc));
            const TimeMs pts = detail::to_ms(frame->best_effort_timestamp, in_video->time_base, in_video->start_time);
            AVFrame* painted = pipeline.paint(frame.get(), index++, pts, paint);
            painted->pts = frame->best_effort_timestamp;
            av_frame_unref(frame.get());
            detail::encode_and_drain(encoder.get(), painted, encoded.get(), write_video);
        }
    };
    bool demuxing = true;
    while (demuxing) {
        throw_if_cancelled();
        if (!detail::read_packet(in.get(), packet.get(), input)) {
            demuxing = false;
            avcodec_send_packet(decoder.get(), nullptr);
        } else if (packet->stream_index == video_index) {
            const int rc = avcodec_send_packet(decoder.get(), packet.get());
            if (rc < 0 && rc != AVERROR_INVALIDDATA)
                detail::throw_damaged(input, "video decoding failed: " + av_error_string(rc));
        } else if (AVStream* o = copied[static_cast<std::size_t>(packet->stream_index)]) {
            av_packet_rescale_ts(packet.get(), in->streams[packet->stream_index]->time_base, o->time_base);
            packet->stream_index = o->index;
            packet->pos = -1;
            detail::write_packet(out.get(), packet.get(), file);
        }
        av_packet_unref(packet.get());
        drain_decoder();
    }
    detail::encode_and_drain(encoder.get(), nullptr, encoded.get(), write_video);
    detail::finish_output(out.get(), file);
}

}  // namespace dramaloc::media
