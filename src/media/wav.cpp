#include "media/wav.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
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

AudioBuffer read_wav(const fs::path& path) {
    require_readable_file(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string() + ": cannot open it");
    unsigned char riff[12];
    if (!in.read(reinterpret_cast<char*>(riff), sizeof riff)) not_wav(path, "shorter than a RIFF header");
    if (std::memcmp(riff, "RIFF", 4) != 0 || std::memcmp(riff + 8, "WAVE", 4) != 0)
        not_wav(path, "no RIFF/WAVE header");

    std::optional<WavFormat> format;
    while (true) {
        unsigned char header[8];
        if (!in.read(reinterpret_cast<char*>(header), sizeof header))
            not_wav(path, format ? "truncated: no data chunk" : "truncated: no fmt chunk");
        const std::uint32_t size = le32(header + 4);
        if (std::memcmp(header, "fmt ", 4) == 0) {
            if (size > kMaxFmtChunk) not_wav(path, "its fmt chunk is damaged");
            std::string chunk(size, '\0');
            if (!in.read(chunk.data(), size)) not_wav(path, "truncated inside the fmt chunk");
            format = parse_fmt(path, chunk);
            if (size % 2) in.ignore(1);
        } else if (std::memcmp(header, "data", 4) == 0) {
            if (!format) not_wav(path, "data comes before the fmt chunk");
            const std::size_t frame_bytes = static_cast<std::size_t>(format->channels * format->bits / 8);
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
            bytes -= bytes % frame_bytes;
            std::string raw(static_cast<std::size_t>(bytes), '\0');
            if (!in.read(raw.data(), static_cast<std::streamsize>(bytes))) not_wav(path, "truncated data chunk");
            AudioBuffer out;
            out.sample_rate = format->sample_rate;
            out.channels = format->channels;
            const std::size_t sample_bytes = static_cast<std::size_t>(format->bits / 8);
            out.samples.resize(raw.size() / sample_bytes);
            const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
            if (format->bits == 24) {
                // Place the 3 bytes in the top of an int32, then shift back down: sign-extends.
                for (std::size_t i = 0; i < out.samples.size(); ++i) {
                    const unsigned char* s = p + i * 3;
                    const std::int32_t v =
                        static_cast<std::int32_t>((static_cast<std::uint32_t>(s[0]) << 8) |
                                                  (static_cast<std::uint32_t>(s[1]) << 16) |
                                                  (static_cast<std::uint32_t>(s[2]) << 24)) / 256;
                    out.samples[i] = static_cast<float>(v) / 8388608.0f;
                }
            } else {
                for (std::size_t i = 0; i < out.samples.size(); ++i)
                    out.samples[i] = decode_sample(p + i * sample_bytes, *format);
            }
            return out;
        } else {
            in.seekg(static_cast<std::streamoff>(size) + (size % 2), std::ios::cur);  // skip LIST, fact, …
            if (!in) not_wav(path, "truncated inside a chunk");
        }
    }
}

void write_wav(const fs::path& path, const AudioBuffer& audio, WavSampleFormat format) {
    if (audio.channels < 1 || audio.sample_rate < 1)
        throw InputError("cannot write " + path.string() + ": audio has " + std::to_string(audio.channels) +
                         " channels at " + std::to_string(audio.sample_rate) + " Hz");
    const bool is_float = format == WavSampleFormat::Float32;
    const int bits = is_float ? 32 : 16;
    const std::uint64_t data_bytes = static_cast<std::uint64_t>(audio.samples.size()) * static_cast<unsigned>(bits / 8);
    if (data_bytes > std::numeric_limits<std::uint32_t>::max() - 64)
        throw InputError("cannot write " + path.string() + ": more than 4 GB of audio does not fit in a WAV file");

    std::string out;
    out.reserve(static_cast<std::size_t>(data_bytes) + 44);
    auto put16 = [&out](std::uint32_t v) {
        out.push_back(static_cast<char>(v & 0xFF));
        out.push_back(static_cast<char>((v >> 8) & 0xFF));
    };
    auto put32 = [&](std::uint32_t v) {
        put16(v & 0xFFFF);
        put16(v >> 16);
    };
    const auto channels = static_cast<std::uint32_t>(audio.channels);
    const auto rate = static_cast<std::uint32_t>(audio.sample_rate);
    const std::uint32_t block = channels * static_cast<std::uint32_t>(bits / 8);
    out += "RIFF";
    put32(static_cast<std::uint32_t>(36 + data_bytes));
    out += "WAVEfmt ";
    put32(16);
    put16(is_float ? kFormatFloat : kFormatPcm);
    put16(channels);
    put32(rate);
    put32(rate * block);
    put16(block);
    put16(static_cast<std::uint32_t>(bits));
    out += "data";
    put32(static_cast<std::uint32_t>(data_bytes));
    if (is_float) {
        const std::size_t at = out.size();
        out.resize(at + audio.samples.size() * sizeof(float));
        std::memcpy(out.data() + at, audio.samples.data(), audio.samples.size() * sizeof(float));
    } else {
        for (const float s : audio.samples) {
            const float clipped = std::isnan(s) ? 0.0f : std::clamp(s, -1.0f, 1.0f);
            const auto v = static_cast<std::int16_t>(std::lround(clipped * 32767.0f));
            put16(static_cast<std::uint16_t>(v));
        }
    }
    write_file_atomically(path, out);
}

}  // namespace dramaloc::media
