#pragma once
// One header of deleters for FFmpeg's C handles (docs STYLE.md #3). Every FFmpeg object
// dramaloc holds lives in one of these std::unique_ptr aliases, so error branches never
// free anything by hand and an exception mid-way releases everything in reverse order.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

namespace dramaloc::media {

// An input opened with avformat_open_input.
struct InputFormatDeleter {
    void operator()(AVFormatContext* ctx) const noexcept { avformat_close_input(&ctx); }
};
using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;

// An output from avformat_alloc_output_context2: closes its file (if opened) then frees it.
struct OutputFormatDeleter {
    void operator()(AVFormatContext* ctx) const noexcept {
        if (ctx->pb && !(ctx->oformat->flags & AVFMT_NOFILE)) avio_closep(&ctx->pb);
        avformat_free_context(ctx);
    }
};
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;

struct CodecContextDeleter {
    void operator()(AVCodecContext* ctx) const noexcept { avcodec_free_context(&ctx); }
};
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;

struct FrameDeleter {
    void operator()(AVFrame* frame) const noexcept { av_frame_free(&frame); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

struct PacketDeleter {
    void operator()(AVPacket* packet) const noexcept { av_packet_free(&packet); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;

struct SwrDeleter {
    void operator()(SwrContext* swr) const noexcept { swr_free(&swr); }
};
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;

struct SwsDeleter {
    void operator()(SwsContext* sws) const noexcept { sws_freeContext(sws); }
};
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

struct AudioFifoDeleter {
    void operator()(AVAudioFifo* fifo) const noexcept { av_audio_fifo_free(fifo); }
};
using AudioFifoPtr = std::unique_ptr<AVAudioFifo, AudioFifoDeleter>;

// Allocators that throw std::bad_alloc instead of returning null.
FramePtr make_frame();
PacketPtr make_packet();

// FFmpeg logs to stderr at "info" level by default (x264 statistics, muxer notes). Processes
// that own the terminal (CLI, tests) call this once: quiet = nothing (our own errors say what
// went wrong, in one line), else warnings and errors too.
void set_ffmpeg_log_quiet(bool quiet);

// FFmpeg's text for an AVERROR code, e.g. "Invalid data found when processing input".
std::string av_error_string(int error_code);

}  // namespace dramaloc::media
