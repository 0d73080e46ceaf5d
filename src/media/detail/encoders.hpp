#pragma once
// The two encoders dramaloc writes with: H.264 (libx264) and AAC (FFmpeg's native encoder,
// fed exact frame_size chunks through an AVAudioFifo). Internal to media/; one thread per object.
#include <deque>
#include <functional>
#include <string>

#include "core/time.hpp"
#include "media/audio.hpp"
#include "media/av_handles.hpp"

namespace dramaloc::media::detail {

struct H264Settings {
    int width = 0;
    int height = 0;
    AVRational time_base{1, 30};   // of the frames' pts
    AVRational frame_rate{30, 1};
    int crf = 23;
    std::string preset = "veryfast";
    bool global_header = true;     // MP4 wants SPS/PPS in extradata
    // Seconds between key frames; 0 = every 2 s with x264's scene-cut key frames as well.
    // When set, key frames come exactly this often and nowhere else (sparse-keyframe material).
    int keyframe_interval_s = 0;
    int max_bitrate_kbps = 0;      // 0: constant quality only; else capped under it (VBV)
};

// Opens libx264 for yuv420p. ConfigError for bad settings, EngineError when libx264 is missing.
CodecContextPtr open_h264_encoder(const H264Settings& settings);

// Sends `frame` (nullptr = flush) and hands every packet the encoder has ready to `sink`.
void encode_and_drain(AVCodecContext* encoder, const AVFrame* frame, AVPacket* scratch,
                      const std::function<void(AVPacket*)>& sink);

// AAC encoding of interleaved float audio in any format (resampled to the encoder's).
class AacEncoder {
public:
    AacEncoder(int sample_rate, int channels, int bitrate, bool global_header);
    AacEncoder(const AacEncoder&) = delete;
    AacEncoder& operator=(const AacEncoder&) = delete;

    AVCodecContext* context() const { return encoder_.get(); }

    // Converts and encodes `frames` interleaved frames of `channels` at `sample_rate`.
    void push(const float* interleaved, SampleCount frames, int sample_rate, int channels);
    void push(const AudioBuffer& audio) {
        push(audio.samples.data(), audio.frames(), audio.sample_rate, audio.channels);
    }
    // Flushes the resampler, the last partial frame and the encoder. No push() afterwards.
    void finish();
    bool finished() const { return finished_; }

    // The next encoded packet (timestamps in context()->time_base), or null when none is ready.
    PacketPtr pop();

private:
    void convert(const float* interleaved, SampleCount frames);
    void encode_fifo(bool include_partial_frame);

    CodecContextPtr encoder_;
    AudioFifoPtr fifo_;
    SwrPtr resampler_;
    int input_rate_ = 0;
    int input_channels_ = 0;
    FramePtr frame_;
    PacketPtr scratch_;
    std::vector<std::vector<float>> planes_;
    std::int64_t next_pts_ = 0;
    std::deque<PacketPtr> ready_;
    bool finished_ = false;
};

}  // namespace dramaloc::media::detail
