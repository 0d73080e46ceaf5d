#include "media/wav.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"

// RIFF/WAVE is little-endian; this code assumes a little-endian host (x86-64, arm64).
static_assert(std::endian::native == std::endian::little, "wav.cpp assumes a little-endian host");

namespace dramaloc::media {

namespace fs = std::filesystem;

namespace {

constexpr std::uint16_t kFormatPcm = 1;
constexpr std::uint16_t kFormatFloat = 3;
constexpr std::uint16_t kFormatExtensible = 0xFFFE;
// Larger chunk headers than this in a WAV file mean a damaged header, not real data.
constexpr std::uint32_t kMaxFmtChunk = 1024;

std::uint16_t le16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t le32(const unsigned char* p) {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

[[noreturn]] void not_wav(const fs::path& path, const std::string& why) {
    throw InputError(path.string() + ": not a usable WAV file (" + why + "); export it again as PCM or float WAV");
}

struct WavFormat {
    std::uint16_t encoding = 0;  // kFormatPcm or kFormatFloat after resolving EXTENSIBLE
    int channels = 0;
    int sample_rate = 0;
    int bits = 0;
};

WavFormat parse_fmt(const fs::path& path, const std::string& chunk) {
    if (chunk.size() < 16) not_wav(path, "its fmt chunk is too short");
    const auto* p = reinterpret_cast<const unsigned char*>(chunk.data());
    WavFormat f;
    f.encoding = le16(p);
    f.channels = le16(p + 2);
    f.sample_rate = static_cast<int>(le32(p + 4));
    f.bits = le16(p + 14);
    if (f.encoding == kFormatExtensible) {
        if (chunk.size() < 40) not_wav(path, "its WAVE_FORMAT_EXTENSIBLE header is too short");
        f.encoding = le16(p + 24);  // first two bytes of the sub-format GUID hold the format tag
    }
    if (f.encoding != kFormatPcm && f.encoding != kFormatFloat)
        not_wav(path, "its encoding " + std::to_string(f.encoding) + " is compressed, only PCM and float are read");
    if (f.channels < 1 || f.channels > 64) not_wav(path, "it says it has " + std::to_string(f.channels) + " channels");
    if (f.sample_rate < 1000 || f.sample_rate > 768000)
        not_wav(path, "its sample rate " + std::to_string(f.sample_rate) + " Hz is implausible");
    const bool ok_bits = f.encoding == kFormatPcm ? (f.bits == 8 || f.bits == 16 || f.bits == 24 || f.bits == 32)
                                                  : (f.bits == 32 || f.bits == 64);
    if (!ok_bits) not_wav(path, std::to_string(f.bits) + "-bit samples are not supported");
    return f;
}

float decode_sample(const unsigned char* p, const WavFormat& f) {
    if (f.encoding == kFormatFloat) {
        if (f.bits == 32) {
            float v;
            std::memcpy(&v, p, sizeof v);
            return v;
        }
        double v;
        std::memcpy(&v, p, sizeof v);
        return static_cast<float>(v);
    }
    switch (f.bits) {
        case 8: return (static_cast<float>(p[0]) - 128.0f) / 128.0f;  // 8-bit WAV is unsigned
        case 16: return static_cast<float>(static_cast<std::int16_t>(le16(p))) / 32768.0f;
        default: return static_cast<float>(static_cast<std::int32_t>(le32(p))) / 2147483648.0f;
    }
}

}  // namespace

struct WavReader::Impl {
    fs::path path;
    std::unique_ptr<std::istream> stream;  // the file, or the bytes given
    WavFormat format;
    std::uint64_t data_bytes = 0;   // whole frames only
    std::uint64_t consumed = 0;
    std::size_t frame_bytes = 0;
    std::string raw;

    void open(const fs::path& p) {
        path = p;
        require_readable_file(path);
        auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
        if (!*file) throw InputError(path.string() + ": cannot open it");
        stream = std::move(file);
        parse_header();
    }

    void open_bytes(std::string bytes, const std::string& name) {
        path = name;
        stream = std::make_unique<std::istringstream>(std::move(bytes), std::ios::binary);
        parse_header();
    }

    void parse_header() {
        std::istream& in = *stream;
        unsigned char riff[12];
        if (!in.read(reinterpret_cast<char*>(riff), sizeof riff)) not_wav(path, "shorter than a RIFF header");
        if (std::memcmp(riff, "RIFF", 4) != 0 || std::memcmp(riff + 8, "WAVE", 4) != 0) not_wav(path, "no RIFF/WAVE header");
        std::optional<WavFormat> found;
        while (true) {
            unsigned char header[8];
            if (!in.read(reinterpret_cast<char*>(header), sizeof header))
                not_wav(path, found ? "truncated: no data chunk" : "truncated: no fmt chunk");
            const std::uint32_t size = le32(header + 4);
            if (std::memcmp(header, "fmt ", 4) == 0) {
                if (size > kMaxFmtChunk) not_wav(path, "its fmt chunk is damaged");
                std::string chunk(size, '\0');
                if (!in.read(chunk.data(), size)) not_wav(path, "truncated inside the fmt chunk");
                found = parse_fmt(path, chunk);
                if (size % 2) in.ignore(1);
            } else if (std::memcmp(header, "data", 4) == 0) {
                if (!found) not_wav(path, "data comes before the fmt chunk");
                format = *found;
                frame_bytes = static_cast<std::size_t>(format.channels * format.bits / 8);
                // Streaming writers leave 0 or 0xFFFFFFFF as the size: read to the end then.
                const auto here = in.tellg();
                in.seekg(0, std::ios::end);
                const auto available = static_cast<std::uint64_t>(in.tellg() - here);
                in.seekg(here);
                std::uint64_t bytes = size;
                if (size == 0 || size == 0xFFFFFFFFu) bytes = available;
                if (bytes > available)
                    not_wav(path, "truncated: the data chunk says " + std::to_string(bytes) + " bytes but " +
                                      std::to_string(available) + " remain");
                data_bytes = bytes - bytes % frame_bytes;
                return;
            } else {
                in.seekg(static_cast<std::streamoff>(size) + (size % 2), std::ios::cur);  // skip LIST, fact, …
                if (!in) not_wav(path, "truncated inside a chunk");
            }
        }
    }

    SampleCount read(std::span<float> out) {
        std::istream& in = *stream;
        const std::size_t channels = static_cast<std::size_t>(format.channels);
        const std::uint64_t wanted_frames = out.size() / channels;
        const std::uint64_t left_frames = (data_bytes - consumed) / frame_bytes;
        const std::uint64_t frames = std::min(wanted_frames, left_frames);
        if (frames == 0) return 0;
        raw.resize(static_cast<std::size_t>(frames * frame_bytes));
        if (!in.read(raw.data(), static_cast<std::streamsize>(raw.size()))) not_wav(path, "truncated data chunk");
        consumed += raw.size();
        const std::size_t sample_bytes = static_cast<std::size_t>(format.bits / 8);
        const std::size_t samples = raw.size() / sample_bytes;
        const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
        if (format.bits == 24) {
            // Place the 3 bytes in the top of an int32, then shift back down: sign-extends.
            for (std::size_t i = 0; i < samples; ++i) {
                const unsigned char* b = p + i * 3;
                const std::int32_t v = static_cast<std::int32_t>((static_cast<std::uint32_t>(b[0]) << 8) |
                                                                 (static_cast<std::uint32_t>(b[1]) << 16) |
                                                                 (static_cast<std::uint32_t>(b[2]) << 24)) / 256;
                out[i] = static_cast<float>(v) / 8388608.0f;
            }
        } else if (format.encoding == kFormatFloat && format.bits == 32) {
            std::memcpy(out.data(), p, samples * sizeof(float));
        } else {
            for (std::size_t i = 0; i < samples; ++i) out[i] = decode_sample(p + i * sample_bytes, format);
        }
        return static_cast<SampleCount>(frames);
    }
};

WavReader::WavReader(const fs::path& path) : impl_(std::make_unique<Impl>()) { impl_->open(path); }

namespace {

AudioBuffer read_all(WavReader& reader) {
    AudioBuffer out;
    out.sample_rate = reader.sample_rate();
    out.channels = reader.channels();
    out.samples.resize(static_cast<std::size_t>(reader.frames()) * static_cast<std::size_t>(reader.channels()));
    reader.read(out.samples);
    return out;
}

}  // namespace

AudioBuffer decode_wav(std::string bytes, const std::string& source_name) {
    WavReader reader(std::make_unique<WavReader::Impl>());
    reader.impl_->open_bytes(std::move(bytes), source_name);
    return read_all(reader);
}

WavReader::WavReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WavReader::~WavReader() = default;
WavReader::WavReader(WavReader&&) noexcept = default;
WavReader& WavReader::operator=(WavReader&&) noexcept = default;
int WavReader::sample_rate() const { return impl_->format.sample_rate; }
int WavReader::channels() const { return impl_->format.channels; }
SampleCount WavReader::frames() const { return static_cast<SampleCount>(impl_->data_bytes / impl_->frame_bytes); }
SampleCount WavReader::position() const { return static_cast<SampleCount>(impl_->consumed / impl_->frame_bytes); }
SampleCount WavReader::read(std::span<float> out) { return impl_->read(out); }

AudioBuffer read_wav(const fs::path& path) {
    WavReader reader(path);
    return read_all(reader);
}

namespace {

void put16(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void put32(std::string& out, std::uint32_t v) {
    put16(out, v & 0xFFFF);
    put16(out, v >> 16);
}

std::uint32_t bytes_per_sample(WavSampleFormat format) {
    return format == WavSampleFormat::Float32 ? 4 : format == WavSampleFormat::Pcm24 ? 3 : 2;
}

// Appends `samples` as the format stores them: floats as they are, integers clipped to [-1, 1]
// and rounded.
void append_samples(std::string& out, std::span<const float> samples, WavSampleFormat format) {
    if (format == WavSampleFormat::Float32) {
        const std::size_t at = out.size();
        out.resize(at + samples.size() * sizeof(float));
        if (!samples.empty()) std::memcpy(out.data() + at, samples.data(), samples.size() * sizeof(float));
        return;
    }
    out.reserve(out.size() + samples.size() * bytes_per_sample(format));
    for (const float s : samples) {
        const float clipped = std::isnan(s) ? 0.0f : std::clamp(s, -1.0f, 1.0f);
        if (format == WavSampleFormat::Pcm16) {
            put16(out, static_cast<std::uint16_t>(static_cast<std::int16_t>(std::lround(clipped * 32767.0f))));
        } else {
            const auto v = static_cast<std::uint32_t>(static_cast<std::int32_t>(std::lround(static_cast<double>(clipped) * 8388607.0)));
            out.push_back(static_cast<char>(v & 0xFF));
            out.push_back(static_cast<char>((v >> 8) & 0xFF));
            out.push_back(static_cast<char>((v >> 16) & 0xFF));
        }
    }
}

std::string wav_header(int channels, int sample_rate, WavSampleFormat format, std::uint64_t data_bytes) {
    const bool is_float = format == WavSampleFormat::Float32;
    const std::uint32_t bits = bytes_per_sample(format) * 8;
    const auto ch = static_cast<std::uint32_t>(channels);
    const auto rate = static_cast<std::uint32_t>(sample_rate);
    const std::uint32_t block = ch * (bits / 8);
    std::string out;
    out += "RIFF";
    put32(out, static_cast<std::uint32_t>(36 + data_bytes));
    out += "WAVEfmt ";
    put32(out, 16);
    put16(out, is_float ? kFormatFloat : kFormatPcm);
    put16(out, ch);
    put32(out, rate);
    put32(out, rate * block);
    put16(out, block);
    put16(out, bits);
    out += "data";
    put32(out, static_cast<std::uint32_t>(data_bytes));
    return out;
}

}  // namespace

WavWriter::WavWriter(const fs::path& path, int sample_rate, int channels, WavSampleFormat format)
    : path_(path), file_(path), channels_(channels), format_(format) {
    if (channels < 1 || sample_rate < 1)
        throw InputError("cannot write " + path.string() + ": audio has " + std::to_string(channels) + " channels at " +
                         std::to_string(sample_rate) + " Hz");
    out_.open(file_.temp_path(), std::ios::binary | std::ios::trunc);
    if (!out_) throw IoError("cannot write " + path.string() + ": cannot create " + file_.temp_path().string());
    const std::string header = wav_header(channels, sample_rate, format, 0);  // sizes patched by finish()
    out_.write(header.data(), static_cast<std::streamsize>(header.size()));
    sample_rate_ = sample_rate;
}

WavWriter::~WavWriter() = default;  // AtomicFile removes the temporary unless committed

void WavWriter::write(std::span<const float> samples) {
    buffer_.clear();
    append_samples(buffer_, samples, format_);
    if ((static_cast<std::uint64_t>(frames_) * static_cast<std::uint64_t>(channels_) + samples.size()) * bytes_per_sample(format_) >
        std::numeric_limits<std::uint32_t>::max() - 64)
        throw InputError("cannot write " + path_.string() + ": more than 4 GB of audio does not fit in a WAV file");
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (!out_) throw IoError("cannot write " + path_.string() + " (disk full?)");
    frames_ += static_cast<SampleCount>(samples.size() / static_cast<std::size_t>(channels_));
}

void WavWriter::finish() {
    const std::uint64_t data_bytes = static_cast<std::uint64_t>(frames_) * static_cast<std::uint64_t>(channels_) * bytes_per_sample(format_);
    const std::string header = wav_header(channels_, sample_rate_, format_, data_bytes);
    out_.seekp(0);
    out_.write(header.data(), static_cast<std::streamsize>(header.size()));
    out_.close();
    if (!out_) throw IoError("cannot write " + path_.string() + " (disk full?)");
    file_.commit();
}

std::string encode_wav(const AudioBuffer& audio, WavSampleFormat format) {
    if (audio.channels < 1 || audio.sample_rate < 1) throw InputError("cannot encode audio without channels or sample rate");
    std::string out = wav_header(audio.channels, audio.sample_rate, format,
                                 static_cast<std::uint64_t>(audio.samples.size()) * bytes_per_sample(format));
    append_samples(out, audio.samples, format);
    return out;
}

void write_wav(const fs::path& path, const AudioBuffer& audio, WavSampleFormat format) {
    if (audio.channels < 1 || audio.sample_rate < 1)
        throw InputError("cannot write " + path.string() + ": audio has " + std::to_string(audio.channels) +
                         " channels at " + std::to_string(audio.sample_rate) + " Hz");
    WavWriter writer(path, audio.sample_rate, audio.channels, format);
    writer.write(audio.samples);
    writer.finish();
}

}  // namespace dramaloc::media
