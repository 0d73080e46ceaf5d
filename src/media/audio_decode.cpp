#include "media/audio_decode.hpp"

#include <algorithm>
#include <cstring>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "media/av_handles.hpp"
#include "media/detail/input.hpp"

namespace dramaloc::media {

struct AudioDecoder::Impl {
    std::filesystem::path path;
    InputFormatPtr input;
    CodecContextPtr decoder;
    SwrPtr resampler;
    FramePtr frame = make_frame();
    PacketPtr packet = make_packet();
    int stream_index = -1;
    int out_rate = 0;
    int out_channels = 0;
    TimeMs duration = 0;
    // AAC pads its last frame; MP4 records the true length, so output stops there (-1 = no limit).
    SampleCount frame_limit = -1;
    SampleCount frames_out = 0;
    // Converted samples not yet handed out: pending[pending_offset, pending.size()).
    std::vector<float> pending;
    std::size_t pending_offset = 0;
    // Input format the resampler was built for (a stream may change it mid-way).
    int in_rate = 0;
    int in_format = -1;
    AVChannelLayout in_layout{};
    bool demux_done = false;
    bool decoder_drained = false;
    bool resampler_flushed = false;

    ~Impl() { av_channel_layout_uninit(&in_layout); }

    std::size_t pending_samples() const { return pending.size() - pending_offset; }

    void configure_resampler(const AVFrame* f) {
        if (resampler && f->sample_rate == in_rate && f->format == in_format &&
            av_channel_layout_compare(&f->ch_layout, &in_layout) == 0)
            return;
        if (resampler) flush_resampler();  // keep the old format's tail
        AVChannelLayout out_layout;
        av_channel_layout_default(&out_layout, out_channels);
        AVChannelLayout source_layout{};
        if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)  // e.g. raw PCM without a layout: assume the default
            av_channel_layout_default(&source_layout, f->ch_layout.nb_channels);
        else
            detail::check_av(av_channel_layout_copy(&source_layout, &f->ch_layout), "audio channel layout");
        SwrContext* swr = nullptr;
        const int rc = swr_alloc_set_opts2(&swr, &out_layout, AV_SAMPLE_FMT_FLT, out_rate, &source_layout,
                                           static_cast<AVSampleFormat>(f->format), f->sample_rate, 0, nullptr);
        resampler.reset(swr);
        av_channel_layout_uninit(&out_layout);
        if (rc < 0) {
            av_channel_layout_uninit(&source_layout);
            detail::check_av(rc, "configuring the audio resampler for " + path.string());
        }
        // Normalised downmix: stereo to mono averages the channels, so levels never exceed full scale
        // (FFmpeg's default adds them at -3 dB each, which can go above 1.0 for correlated channels).
        av_opt_set_double(resampler.get(), "rematrix_maxval", 1.0, 0);
        detail::check_av(swr_init(resampler.get()), "starting the audio resampler for " + path.string());
        av_channel_layout_uninit(&in_layout);
        in_layout = source_layout;  // takes ownership
        in_rate = f->sample_rate;
        in_format = f->format;
        resampler_flushed = false;
    }

    // Appends the conversion of `f` (nullptr = flush) to `pending`.
    void convert(const AVFrame* f) {
        const int in_count = f ? f->nb_samples : 0;
        const int capacity = swr_get_out_samples(resampler.get(), in_count);
        detail::check_av(capacity, "resampling " + path.string());
        if (capacity <= 0) return;
        if (pending_offset > 0 && pending_offset == pending.size()) {
            pending.clear();
            pending_offset = 0;
        }
        const std::size_t at = pending.size();
        pending.resize(at + static_cast<std::size_t>(capacity) * static_cast<std::size_t>(out_channels));
        auto* out = reinterpret_cast<std::uint8_t*>(pending.data() + at);
        const int produced = swr_convert(resampler.get(), &out, capacity,
                                         f ? const_cast<const std::uint8_t**>(f->extended_data) : nullptr, in_count);
        detail::check_av(produced, "resampling " + path.string());
        pending.resize(at + static_cast<std::size_t>(produced) * static_cast<std::size_t>(out_channels));
    }

    void flush_resampler() {
        if (resampler && !resampler_flushed) convert(nullptr);
        resampler_flushed = true;
    }

    // Receives every frame the decoder has ready. False when the decoder is fully drained.
    bool receive_frames() {
        while (true) {
            const int rc = avcodec_receive_frame(decoder.get(), frame.get());
            if (rc == AVERROR(EAGAIN)) return true;
            if (rc == AVERROR_EOF) return false;
            if (rc < 0) detail::throw_damaged(path, "audio decoding failed: " + av_error_string(rc));
            configure_resampler(frame.get());
            convert(frame.get());
            av_frame_unref(frame.get());
        }
    }

    // Produces more samples into `pending`; false when the stream is exhausted.
    bool refill() {
        while (!decoder_drained) {
            throw_if_cancelled();
            if (!demux_done) {
                if (!detail::read_packet(input.get(), packet.get(), path)) {
                    demux_done = true;
                    avcodec_send_packet(decoder.get(), nullptr);
                } else if (packet->stream_index != stream_index) {
                    av_packet_unref(packet.get());
                    continue;
                } else {
                    const int rc = avcodec_send_packet(decoder.get(), packet.get());
                    av_packet_unref(packet.get());
                    // A damaged packet in the middle is skipped like players do; the rest still decodes.
                    if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_INVALIDDATA)
                        detail::throw_damaged(path, "audio decoding failed: " + av_error_string(rc));
                }
            }
            const std::size_t before = pending_samples();
            if (!receive_frames()) {
                decoder_drained = true;
                flush_resampler();
            }
            if (pending_samples() > before) return true;
        }
        return false;
    }
};

AudioDecoder::AudioDecoder() = default;
AudioDecoder::AudioDecoder(const std::filesystem::path& path, int sample_rate, int channels) {
    open(path, sample_rate, channels);
}
AudioDecoder::~AudioDecoder() = default;
AudioDecoder::AudioDecoder(AudioDecoder&&) noexcept = default;
AudioDecoder& AudioDecoder::operator=(AudioDecoder&&) noexcept = default;

void AudioDecoder::open(const std::filesystem::path& path, int sample_rate, int channels) {
    if (channels != 1 && channels != 2)
        throw ConfigError("audio can be decoded to 1 or 2 channels, not " + std::to_string(channels));
    if (sample_rate < 4000 || sample_rate > 192000)
        throw ConfigError("audio sample rate " + std::to_string(sample_rate) + " Hz is outside 4000..192000");
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->out_rate = sample_rate;
    impl->out_channels = channels;
    // MP4/MKV headers describe their streams fully; skipping avformat_find_stream_info avoids
    // decoding video frames just to learn what the header already says.
    impl->input = detail::open_input(path, false);
    int index = detail::best_stream(impl->input.get(), AVMEDIA_TYPE_AUDIO);
    const bool header_complete = index >= 0 && impl->input->streams[index]->codecpar->sample_rate > 0 &&
                                 impl->input->streams[index]->codecpar->ch_layout.nb_channels > 0;
    if (!header_complete) {
        const int rc = avformat_find_stream_info(impl->input.get(), nullptr);
        if (rc < 0) throw InputError(path.string() + ": not a media file FFmpeg can read (" + av_error_string(rc) + ")");
    }
    impl->stream_index = detail::require_best_stream(impl->input.get(), AVMEDIA_TYPE_AUDIO, path);
    // Discarded streams are skipped by the demuxer without reading their bytes.
    for (unsigned i = 0; i < impl->input->nb_streams; ++i)
        if (static_cast<int>(i) != impl->stream_index) impl->input->streams[i]->discard = AVDISCARD_ALL;
    const AVStream* stream = impl->input->streams[impl->stream_index];
    impl->decoder = detail::open_decoder(stream, path, 1);
    if (stream->duration != AV_NOPTS_VALUE) {
        impl->duration = detail::to_ms(stream->duration, stream->time_base);
        if (std::strncmp(impl->input->iformat->name, "mov,", 4) == 0 && stream->duration > 0)
            impl->frame_limit = av_rescale_q(stream->duration, stream->time_base, AVRational{1, sample_rate});
    }
    else if (impl->input->duration != AV_NOPTS_VALUE)
        impl->duration = detail::to_ms(impl->input->duration, AV_TIME_BASE_Q);
    impl_ = std::move(impl);
}

SampleCount AudioDecoder::read(std::span<float> out) {
    if (!impl_) throw EngineError("internal: AudioDecoder::read before open()");
    Impl& m = *impl_;
    const auto channels = static_cast<std::size_t>(m.out_channels);
    std::size_t wanted = out.size() - out.size() % channels;
    if (m.frame_limit >= 0)
        wanted = std::min(wanted, static_cast<std::size_t>(std::max<SampleCount>(m.frame_limit - m.frames_out, 0)) * channels);
    std::size_t written = 0;
    while (written < wanted) {
        if (m.pending_samples() == 0 && !m.refill()) break;
        const std::size_t n = std::min(wanted - written, m.pending_samples());
        std::memcpy(out.data() + written, m.pending.data() + m.pending_offset, n * sizeof(float));
        m.pending_offset += n;
        written += n;
    }
    m.frames_out += static_cast<SampleCount>(written / channels);
    return static_cast<SampleCount>(written / channels);
}

int AudioDecoder::sample_rate() const { return impl_ ? impl_->out_rate : 0; }
int AudioDecoder::channels() const { return impl_ ? impl_->out_channels : 0; }
TimeMs AudioDecoder::duration_ms() const { return impl_ ? impl_->duration : 0; }

AudioBuffer decode_audio(const std::filesystem::path& path, int sample_rate, int channels) {
    AudioDecoder decoder(path, sample_rate, channels);
    AudioBuffer out;
    out.sample_rate = sample_rate;
    out.channels = channels;
    // Reserve from the container's estimate (plus a little) to avoid regrowing a long buffer.
    const SampleCount expected = ms_to_samples(decoder.duration_ms() + 100, sample_rate);
    out.samples.reserve(static_cast<std::size_t>(std::max<SampleCount>(expected, 0) * channels));
    std::vector<float> chunk(static_cast<std::size_t>(16384 * channels));
    while (const SampleCount frames = decoder.read(chunk)) {
        out.samples.insert(out.samples.end(), chunk.begin(), chunk.begin() + frames * channels);
    }
    return out;
}

}  // namespace dramaloc::media
