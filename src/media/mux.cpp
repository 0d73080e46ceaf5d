#include "media/wav.hpp"
#include "media/mux.hpp"

#include <cstring>
#include <memory>

#include "core/atomic_file.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "media/av_handles.hpp"
#include "media/detail/encoders.hpp"
#include "media/detail/input.hpp"
#include "media/detail/mov_text.hpp"
#include "media/detail/output.hpp"

namespace dramaloc::media {

namespace fs = std::filesystem;

namespace {

// A packet on its way to the output, with the time base its timestamps are in.
struct PendingPacket {
    PacketPtr packet;
    AVRational time_base{1, 1};
    AVStream* out = nullptr;
};

// Something that yields packets for one or more output streams, each stream in decode order.
class PacketSource {
public:
    virtual ~PacketSource() = default;
    // The next packet, or an empty packet pointer at the end.
    virtual PendingPacket next() = 0;
};

// Copies mapped streams of a demuxed file (the episode, or an encoded dub track) unchanged.
class DemuxSource : public PacketSource {
public:
    DemuxSource(InputFormatPtr input, fs::path path) : input_(std::move(input)), path_(std::move(path)) {
        outputs_.assign(input_->nb_streams, nullptr);
    }
    void map(int input_stream, AVStream* out) { outputs_[static_cast<std::size_t>(input_stream)] = out; }
    void discard_unmapped() {
        for (unsigned i = 0; i < input_->nb_streams; ++i)
            if (!outputs_[i]) input_->streams[i]->discard = AVDISCARD_ALL;
    }
    AVFormatContext* input() const { return input_.get(); }

    PendingPacket next() override {
        while (true) {
            PacketPtr packet = make_packet();
            if (!detail::read_packet(input_.get(), packet.get(), path_)) return {};
            const auto index = static_cast<std::size_t>(packet->stream_index);
            if (index >= outputs_.size() || !outputs_[index]) continue;
            return {std::move(packet), input_->streams[index]->time_base, outputs_[index]};
        }
    }

private:
    InputFormatPtr input_;
    fs::path path_;
    std::vector<AVStream*> outputs_;
};

// Encodes an AudioBuffer to AAC one second at a time, as the output asks for packets.
class EncodeSource : public PacketSource {
public:
    EncodeSource(const AudioBuffer& audio, std::unique_ptr<detail::AacEncoder> encoder, AVStream* out)
        : audio_(audio), encoder_(std::move(encoder)), out_(out) {}

    PendingPacket next() override {
        while (true) {
            if (PacketPtr packet = encoder_->pop()) return {std::move(packet), encoder_->context()->time_base, out_};
            if (encoder_->finished()) return {};
            const SampleCount chunk = audio_.sample_rate;
            if (position_ < audio_.frames()) {
                const SampleCount n = std::min(chunk, audio_.frames() - position_);
                encoder_->push(audio_.samples.data() + position_ * audio_.channels, n, audio_.sample_rate,
                               audio_.channels);
                position_ += n;
            } else {
                encoder_->finish();
            }
        }
    }

private:
    const AudioBuffer& audio_;
    std::unique_ptr<detail::AacEncoder> encoder_;
    AVStream* out_;
    SampleCount position_ = 0;
};

// Encodes a WAV file to AAC a second at a time, without holding it.
class WavEncodeSource : public PacketSource {
public:
    WavEncodeSource(const fs::path& wav, std::unique_ptr<detail::AacEncoder> encoder, AVStream* out)
        : reader_(wav), encoder_(std::move(encoder)), out_(out),
          block_(static_cast<std::size_t>(reader_.sample_rate()) * static_cast<std::size_t>(reader_.channels())) {}

    PendingPacket next() override {
        while (true) {
            if (PacketPtr packet = encoder_->pop()) return {std::move(packet), encoder_->context()->time_base, out_};
            if (encoder_->finished()) return {};
            if (const SampleCount n = reader_.read(block_); n > 0) {
                encoder_->push(block_.data(), n, reader_.sample_rate(), reader_.channels());
            } else {
                encoder_->finish();
            }
        }
    }

private:
    WavReader reader_;
    std::unique_ptr<detail::AacEncoder> encoder_;
    AVStream* out_;
    std::vector<float> block_;
};

// mov_text samples of one subtitle track, in milliseconds.
class SubtitleSource : public PacketSource {
public:
    SubtitleSource(std::vector<detail::TimedText> timeline, AVStream* out) : timeline_(std::move(timeline)), out_(out) {}

    PendingPacket next() override {
        if (next_ >= timeline_.size()) return {};
        const detail::TimedText& cue = timeline_[next_++];
        const std::vector<std::uint8_t> sample = detail::mov_text_sample(cue.text);
        PacketPtr packet = make_packet();
        detail::check_av(av_new_packet(packet.get(), static_cast<int>(sample.size())), "subtitle packet");
        std::memcpy(packet->data, sample.data(), sample.size());
        packet->pts = packet->dts = cue.start;
        packet->duration = cue.end - cue.start;
        packet->flags |= AV_PKT_FLAG_KEY;
        return {std::move(packet), AVRational{1, 1000}, out_};
    }

private:
    std::vector<detail::TimedText> timeline_;
    AVStream* out_;
    std::size_t next_ = 0;
};

AVStream* copy_stream(AVFormatContext* output, const AVStream* in) {
    AVStream* out = avformat_new_stream(output, nullptr);
    if (!out) throw std::bad_alloc();
    detail::check_av(avcodec_parameters_copy(out->codecpar, in->codecpar), "copying stream parameters");
    out->codecpar->codec_tag = 0;  // let the MP4 muxer choose the tag for this container
    out->time_base = in->time_base;
    out->avg_frame_rate = in->avg_frame_rate;
    out->r_frame_rate = in->r_frame_rate;
    out->sample_aspect_ratio = in->sample_aspect_ratio;
    av_dict_copy(&out->metadata, in->metadata, 0);
    // Display matrix (rotation) and any other stream-level side data travel with the stream.
    for (int i = 0; i < in->nb_side_data; ++i) {
        const AVPacketSideData& side = in->side_data[i];
        std::uint8_t* copy = av_stream_new_side_data(out, side.type, side.size);
        if (!copy) throw std::bad_alloc();
        std::memcpy(copy, side.data, side.size);
    }
    return out;
}

// AAC encodes the standard MPEG-4 rates; other rates are resampled to 48 kHz.
int aac_sample_rate(int rate) {
    for (const int r : {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000})
        if (r == rate) return rate;
    return 48000;
}

std::string which_track(const AudioTrackSpec& spec) { return "the " + spec.language + " audio track"; }

void validate(const std::vector<AudioTrackSpec>& audio) {
    for (std::size_t i = 0; i < audio.size(); ++i) {
        const AudioTrackSpec& spec = audio[i];
        const std::string which = "audio track " + std::to_string(i + 1) + " (" + spec.language + ")";
        const int sources = (spec.audio != nullptr) + !spec.wav_file.empty() + !spec.encoded_file.empty();
        if (sources != 1)
            throw InputError(which + " needs exactly one source: audio to encode, a WAV file to encode or an encoded file to copy");
        if (spec.audio && (spec.audio->empty() || spec.audio->channels < 1 || spec.audio->channels > 8))
            throw InputError(which + " has no usable audio (empty or " + std::to_string(spec.audio->channels) +
                             " channels)");
    }
}

// Writes every source's packets, merged by decode time so the muxer's interleaving queue
// stays short.
void write_interleaved(AVFormatContext* out, AtomicFile& file, std::vector<std::unique_ptr<PacketSource>>& sources) {
    std::vector<PendingPacket> heads;
    for (auto& source : sources) heads.push_back(source->next());
    auto when = [](const PendingPacket& p) { return p.packet->dts != AV_NOPTS_VALUE ? p.packet->dts : p.packet->pts; };
    while (true) {
        throw_if_cancelled();
        std::size_t earliest = heads.size();
        for (std::size_t i = 0; i < heads.size(); ++i) {
            if (!heads[i].packet) continue;
            if (earliest == heads.size() ||
                av_compare_ts(when(heads[i]), heads[i].time_base, when(heads[earliest]), heads[earliest].time_base) < 0)
                earliest = i;
        }
        if (earliest == heads.size()) break;
        PendingPacket& head = heads[earliest];
        av_packet_rescale_ts(head.packet.get(), head.time_base, head.out->time_base);
        head.packet->stream_index = head.out->index;
        head.packet->pos = -1;
        detail::write_packet(out, head.packet.get(), file);
        head = sources[earliest]->next();
    }
}

// A new AAC stream in `out` fed from `wav` a second at a time.
std::unique_ptr<PacketSource> wav_aac_source(AVFormatContext* out, const fs::path& wav, int bitrate, const std::string& what) {
    const WavReader probe(wav);
    if (probe.channels() < 1 || probe.channels() > 8 || probe.frames() == 0)
        throw InputError(what + " (" + wav.string() + ") has no usable audio");
    auto encoder = std::make_unique<detail::AacEncoder>(aac_sample_rate(probe.sample_rate()), probe.channels(), bitrate, true);
    AVStream* stream = avformat_new_stream(out, nullptr);
    if (!stream) throw std::bad_alloc();
    detail::check_av(avcodec_parameters_from_context(stream->codecpar, encoder->context()), "copying encoder parameters");
    stream->time_base = encoder->context()->time_base;
    return std::make_unique<WavEncodeSource>(wav, std::move(encoder), stream);
}

}  // namespace

void encode_audio_m4a(const fs::path& wav, const fs::path& output, const std::string& language, int bitrate) {
    AtomicFile file(output);
    OutputFormatPtr out = detail::create_mp4_output(file);
    std::vector<std::unique_ptr<PacketSource>> sources;
    sources.push_back(wav_aac_source(out.get(), wav, bitrate, "the " + language + " audio"));
    detail::tag_stream(out->streams[0], language, "");
    out->streams[0]->disposition = AV_DISPOSITION_DEFAULT;
    detail::open_and_write_header(out.get(), file, true);
    write_interleaved(out.get(), file, sources);
    detail::finish_output(out.get(), file);
}

void mux_localized_mp4(const fs::path& input, const fs::path& output, const std::vector<AudioTrackSpec>& audio,
                       const std::vector<SubtitleTrackSpec>& subtitles, const MuxOptions& options) {
    validate(audio);
    auto episode = std::make_unique<DemuxSource>(detail::open_input(input), input);
    AVFormatContext* in = episode->input();
    const int video_index = detail::require_best_stream(in, AVMEDIA_TYPE_VIDEO, input);
    const int audio_index = options.keep_original_audio ? detail::best_stream(in, AVMEDIA_TYPE_AUDIO) : -1;

    AtomicFile file(output);
    OutputFormatPtr out = detail::create_mp4_output(file);
    av_dict_copy(&out->metadata, in->metadata, 0);
    std::vector<std::unique_ptr<PacketSource>> sources;

    AVStream* video = copy_stream(out.get(), in->streams[video_index]);
    video->disposition = AV_DISPOSITION_DEFAULT;
    episode->map(video_index, video);

    bool any_default = false;
    for (const AudioTrackSpec& spec : audio) any_default = any_default || spec.is_default;
    std::vector<AVStream*> audio_streams;
    if (audio_index >= 0) {
        AVStream* original = copy_stream(out.get(), in->streams[audio_index]);
        if (!options.original_audio_title.empty()) detail::tag_stream(original, "", options.original_audio_title);
        episode->map(audio_index, original);
        audio_streams.push_back(original);
    }
    episode->discard_unmapped();
    sources.push_back(std::move(episode));

    bool default_taken = false;
    for (const AudioTrackSpec& spec : audio) {
        AVStream* stream = nullptr;
        if (spec.audio) {
            auto encoder = std::make_unique<detail::AacEncoder>(aac_sample_rate(spec.audio->sample_rate),
                                                                spec.audio->channels, spec.bitrate, true);
            stream = avformat_new_stream(out.get(), nullptr);
            if (!stream) throw std::bad_alloc();
            detail::check_av(avcodec_parameters_from_context(stream->codecpar, encoder->context()),
                             "copying encoder parameters");
            stream->time_base = encoder->context()->time_base;
            sources.push_back(std::make_unique<EncodeSource>(*spec.audio, std::move(encoder), stream));
        } else if (!spec.wav_file.empty()) {
            sources.push_back(wav_aac_source(out.get(), spec.wav_file, spec.bitrate, which_track(spec)));
            stream = out->streams[out->nb_streams - 1];
        } else {
            auto dub = std::make_unique<DemuxSource>(detail::open_input(spec.encoded_file), spec.encoded_file);
            const int index = detail::best_stream(dub->input(), AVMEDIA_TYPE_AUDIO);
            if (index < 0)
                throw InputError(spec.encoded_file.string() + ": has no audio stream to add as the " + spec.language +
                                 " track; export the dub as .m4a/AAC");
            stream = copy_stream(out.get(), dub->input()->streams[index]);
            av_dict_free(&stream->metadata);  // the spec decides language and title
            dub->map(index, stream);
            dub->discard_unmapped();
            sources.push_back(std::move(dub));
        }
        detail::tag_stream(stream, spec.language, spec.title);
        if (spec.is_default && !default_taken) {
            stream->disposition = AV_DISPOSITION_DEFAULT;
            default_taken = true;
        }
        audio_streams.push_back(stream);
    }
    // Exactly one default audio track: the requested one, else the first.
    if (!any_default && !audio_streams.empty()) audio_streams.front()->disposition = AV_DISPOSITION_DEFAULT;

    const std::vector<std::uint8_t> sample_entry = detail::mov_text_sample_entry();
    for (const SubtitleTrackSpec& spec : subtitles) {
        AVStream* stream = avformat_new_stream(out.get(), nullptr);
        if (!stream) throw std::bad_alloc();
        stream->codecpar->codec_type = AVMEDIA_TYPE_SUBTITLE;
        stream->codecpar->codec_id = AV_CODEC_ID_MOV_TEXT;
        stream->codecpar->extradata =
            static_cast<std::uint8_t*>(av_mallocz(sample_entry.size() + AV_INPUT_BUFFER_PADDING_SIZE));
        if (!stream->codecpar->extradata) throw std::bad_alloc();
        std::memcpy(stream->codecpar->extradata, sample_entry.data(), sample_entry.size());
        stream->codecpar->extradata_size = static_cast<int>(sample_entry.size());
        stream->time_base = AVRational{1, 1000};
        stream->disposition = 0;
        detail::tag_stream(stream, spec.language, spec.title);
        sources.push_back(std::make_unique<SubtitleSource>(detail::mov_text_timeline(spec.events), stream));
    }

    detail::open_and_write_header(out.get(), file, options.faststart);

    write_interleaved(out.get(), file, sources);
    detail::finish_output(out.get(), file);
}

std::vector<SubtitleEvent> read_mov_text_events(const fs::path& path, int stream_index) {
    InputFormatPtr input = detail::open_input(path);
    if (stream_index < 0 || stream_index >= static_cast<int>(input->nb_streams) ||
        input->streams[stream_index]->codecpar->codec_id != AV_CODEC_ID_MOV_TEXT)
        throw InputError(path.string() + ": stream " + std::to_string(stream_index) + " is not a mov_text subtitle track");
    for (unsigned i = 0; i < input->nb_streams; ++i)
        if (static_cast<int>(i) != stream_index) input->streams[i]->discard = AVDISCARD_ALL;
    const AVRational time_base = input->streams[stream_index]->time_base;
    std::vector<SubtitleEvent> events;
    PacketPtr packet = make_packet();
    while (detail::read_packet(input.get(), packet.get(), path)) {
        if (packet->stream_index == stream_index) {
            const std::string text =
                detail::mov_text_sample_text(packet->data, static_cast<std::size_t>(packet->size));
            if (!text.empty()) {
                SubtitleEvent e;
                e.id = static_cast<int>(events.size()) + 1;
                e.start = detail::to_ms(packet->pts, time_base);
                e.end = detail::to_ms(packet->pts + packet->duration, time_base);
                std::size_t begin = 0;
                while (true) {
                    const std::size_t nl = text.find('\n', begin);
                    e.lines.push_back(text.substr(begin, nl == std::string::npos ? std::string::npos : nl - begin));
                    if (nl == std::string::npos) break;
                    begin = nl + 1;
                }
                events.push_back(std::move(e));
            }
        }
        av_packet_unref(packet.get());
    }
    return events;
}

}  // namespace dramaloc::media
