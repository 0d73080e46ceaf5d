#include "media/video_encode.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "media/detail/encoders.hpp"
#include "media/detail/input.hpp"
#include "media/detail/output.hpp"

namespace dramaloc::media {

// Member order matters: `file` is destroyed last, after the muxer has closed the temporary.
struct Mp4Writer::Impl {
    VideoEncodeOptions options;
    AtomicFile file;
    OutputFormatPtr output;
    CodecContextPtr video_encoder;
    std::unique_ptr<detail::AacEncoder> audio_encoder;
    AVStream* video_stream = nullptr;
    AVStream* audio_stream = nullptr;
    SwsPtr rgb_to_yuv;
    FramePtr yuv;
    PacketPtr scratch;
    std::int64_t frames = 0;
    bool finished = false;

    Impl(const std::filesystem::path& path, VideoEncodeOptions opts, bool with_audio)
        : options(std::move(opts)), file(path), yuv(make_frame()), scratch(make_packet()) {
        output = detail::create_mp4_output(file);
        const AVRational fps{options.fps.num, options.fps.den};
        video_encoder = detail::open_h264_encoder({.width = options.width,
                                                   .height = options.height,
                                                   .time_base = av_inv_q(fps),
                                                   .frame_rate = fps,
                                                   .crf = options.crf,
                                                   .preset = options.preset,
                                                   .global_header = true,
                                                   .keyframe_interval_s = options.keyframe_interval_s});
        video_stream = new_stream(video_encoder.get());
        detail::set_rotation(video_stream, options.rotation_degrees);
        if (with_audio) {
            audio_encoder = std::make_unique<detail::AacEncoder>(options.audio_sample_rate, options.audio_channels,
                                                                 options.audio_bitrate, true);
            audio_stream = new_stream(audio_encoder->context());
            detail::tag_stream(audio_stream, options.audio_language, options.audio_title);
        }
        yuv->format = AV_PIX_FMT_YUV420P;
        yuv->width = options.width;
        yuv->height = options.height;
        detail::check_av(av_frame_get_buffer(yuv.get(), 0), "allocating a video frame");
        if (options.input_width <= 0 || options.input_height <= 0) options.input_width = options.width, options.input_height = options.height;
        const bool scaling = options.input_width != options.width || options.input_height != options.height;
        rgb_to_yuv.reset(sws_getContext(options.input_width, options.input_height, AV_PIX_FMT_RGB24, options.width, options.height,
                                        AV_PIX_FMT_YUV420P, scaling ? SWS_BICUBIC : SWS_BILINEAR, nullptr, nullptr, nullptr));
        if (!rgb_to_yuv) throw EngineError("cannot create the RGB to YUV converter");
        detail::open_and_write_header(output.get(), file, options.faststart);
    }

    AVStream* new_stream(const AVCodecContext* encoder) {
        AVStream* stream = avformat_new_stream(output.get(), nullptr);
        if (!stream) throw std::bad_alloc();
        detail::check_av(avcodec_parameters_from_context(stream->codecpar, encoder), "copying encoder parameters");
        stream->time_base = encoder->time_base;
        return stream;
    }

    void write(AVPacket* packet, const AVCodecContext* encoder, AVStream* stream) {
        av_packet_rescale_ts(packet, encoder->time_base, stream->time_base);
        packet->stream_index = stream->index;
        detail::write_packet(output.get(), packet, file);
    }

    void encode_video(const AVFrame* frame) {
        detail::encode_and_drain(video_encoder.get(), frame, scratch.get(), [this](AVPacket* p) {
            // Every frame lasts one tick of 1/fps; without it the muxer guesses the last frame's length.
            if (p->duration == 0) p->duration = 1;
            write(p, video_encoder.get(), video_stream);
        });
    }

    void drain_audio() {
        while (PacketPtr packet = audio_encoder->pop()) write(packet.get(), audio_encoder->context(), audio_stream);
    }
};

Mp4Writer::Mp4Writer(const std::filesystem::path& output, VideoEncodeOptions options, bool with_audio)
    : impl_(std::make_unique<Impl>(output, std::move(options), with_audio)) {}

Mp4Writer::~Mp4Writer() = default;

void Mp4Writer::write_rgb_frame(const std::uint8_t* rgb24, int stride) {
    Impl& m = *impl_;
    if (m.finished) throw EngineError("internal: Mp4Writer::write_rgb_frame after finish()");
    if (!rgb24 || stride < 3 * m.options.input_width)
        throw InputError("an RGB frame for " + m.file.destination().string() + " needs at least " +
                         std::to_string(3 * m.options.input_width) + " bytes per row");
    detail::check_av(av_frame_make_writable(m.yuv.get()), "video frame");
    const std::uint8_t* src[1] = {rgb24};
    const int src_stride[1] = {stride};
    sws_scale(m.rgb_to_yuv.get(), src, src_stride, 0, m.options.input_height, m.yuv->data, m.yuv->linesize);
    m.yuv->pts = m.frames++;
    m.encode_video(m.yuv.get());
}

void Mp4Writer::write_audio(const AudioBuffer& audio) {
    Impl& m = *impl_;
    if (m.finished) throw EngineError("internal: Mp4Writer::write_audio after finish()");
    if (!m.audio_encoder)
        throw ConfigError("Mp4Writer for " + m.file.destination().string() + " was created without audio");
    m.audio_encoder->push(audio);
    m.drain_audio();
}

void Mp4Writer::finish() {
    Impl& m = *impl_;
    if (m.finished) return;
    m.encode_video(nullptr);
    if (m.audio_encoder) {
        m.audio_encoder->finish();
        m.drain_audio();
    }
    detail::finish_output(m.output.get(), m.file);
    m.finished = true;
}

std::int64_t Mp4Writer::frames_written() const { return impl_->frames; }

}  // namespace dramaloc::media
