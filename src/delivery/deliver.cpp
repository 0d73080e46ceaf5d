#include "delivery/deliver.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <memory>
#include <optional>
#include <set>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/text_codec.hpp"
#include "core/time.hpp"
#include "delivery/delivery_log.hpp"
#include "delivery/destination.hpp"
#include "hardsubs/band.hpp"
#include "hardsubs/scan.hpp"
#include "core/version.hpp"
#include "dub/loudness.hpp"
#include "media/audio_decode.hpp"
#include "media/mux.hpp"
#include "media/probe.hpp"
#include "media/resample.hpp"
#include "media/video_encode.hpp"
#include "media/wav.hpp"
#include "pipeline/manifest.hpp"
#include "policy/content_review.hpp"
#include "series/edit_log.hpp"
#include "series/project.hpp"
#include "series/review_log.hpp"
#include "subtitles/check.hpp"
#include "subtitles/format.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::delivery {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// SHA-256 of what `feed` gives it (called with an update function), hex.
template <typename Feed>
std::string sha256_of(Feed&& feed) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw IoError("OpenSSL could not start a SHA-256");
    feed([&](const char* data, std::size_t size) { EVP_DigestUpdate(ctx.get(), data, size); });
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx.get(), digest.data(), &size);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) out += {hex[digest[i] >> 4], hex[digest[i] & 15]};
    return out;
}

}  // namespace

std::string sha256_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IoError("cannot read " + file.string() + " to hash it");
    return sha256_of([&](const auto& update) {
        std::array<char, 1 << 16> buffer{};
        while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    });
}

namespace {

// What one episode × language version is made from, once it may be delivered.
struct Version {
    std::string episode, language;
    int number = 0;
    fs::path folder;  // OUT/EP
    pipeline::Manifest manifest;
    series::Review approval;
};

// Why a version may not be delivered; empty when it may.
struct Gate {
    const series::SeriesProject& project;
    std::vector<series::Review> reviews;
    std::vector<series::LineEdit> history;
    std::shared_ptr<const policy::ContentReviewer> reviewer;
    std::set<std::string> resolved;  // finding ids people resolved

    std::string hold_reason(Version& v) const {
        const auto manifest = pipeline::read_manifest(v.folder);
        if (!manifest) return "not published yet: run the series";
        v.manifest = *manifest;
        if (const auto failed = manifest->failed_languages.find(v.language); failed != manifest->failed_languages.end())
            return "its last run failed (" + failed->second + ")";
        const auto script = manifest->scripts.find(v.language);
        if (script == manifest->scripts.end()) return "not published in " + v.language + ": run the series with it in [series] to";
        const auto review = series::latest_review(reviews, v.episode, v.language);
        if (!review) return "not reviewed: approve it on the review page";
        if (review->decision != "approved") return "rejected by " + review->who + " on " + review->when + ": edit it, then approve it";
        if (!series::review_stands(*review, history)) return "edited since " + review->who + " approved it: review it again";
        if (const int stale = series::stale_lines(v.episode, v.language, script->second, history); stale > 0)
            return std::to_string(stale) + " edited line(s) not rendered yet: run the series (or render it on the review page)";
        // The packs' rules run now on the lines as they stand, and the report the publish wrote
        // (with the model rules' findings, which need the model): a block in either holds it.
        const int live = policy::review_content(*reviewer, project, v.episode, {v.language}).unresolved_blocks(v.language);
        const auto reported = policy::report_unresolved_blocks(project.options.run.out_dir, v.episode, resolved);
        if (const int blocks = std::max(live, reported.count(v.language) ? reported.at(v.language) : 0); blocks > 0)
            return std::to_string(blocks) + " unresolved block finding(s) of the content review: resolve them on the review page";
        v.approval = *review;
        return "";
    }
};

fs::path published(const Version& v, const std::string& suffix) {
    return v.folder / (v.folder.filename().string() + "." + v.language + "." + suffix);
}

// Whether the episode's last publish wrote this file: one an earlier publish left (a stem
// from before [mix] stems was turned off, a burned-in version from before the language left
// [series] burn_in) belongs to older lines and is not delivered.
bool written_by_last_publish(const Version& v, const fs::path& file) {
    const auto& outputs = v.manifest.outputs;
    return std::find(outputs.begin(), outputs.end(), file.filename().string()) != outputs.end() && fs::exists(file);
}

// The same, for the language's own output NAME.LANG.SUFFIX.
bool published_now(const Version& v, const std::string& suffix) { return written_by_last_publish(v, published(v, suffix)); }

// The picture a version is delivered with: a published video, copied as it is when it is what
// the profile asks for, else encoded to it.
struct Picture {
    fs::path file;
    TimeMs video_ms = 0;  // how long its video lasts (probed once)
    bool encode = false;  // encoded to the profile's size and bitrate ceiling
    json text_area;       // burned in: where its subtitles were drawn, as fractions of the picture, and the safe area
    // Textless made from a picture with burned-in subtitles: where they were (in the source's
    // pixels, of a picture `source_height` high), for the check that OCR reads nothing there.
    std::optional<hardsubs::SubtitleBand> cleaned_band;
    int source_height = 0;
    std::string text_language;  // what the burned-in text was read as
};

std::string choose_size(const Version& v, const Profile& p, Picture& picture);

// The source picture this profile takes, or why there is none it can use.
std::string choose_picture(const Version& v, const Profile& p, Picture& picture) {
    const std::string base = v.folder.filename().string();
    if (p.picture.text == "burned") {
        picture.file = v.folder / (base + "." + v.language + ".burned.mp4");
        if (!published_now(v, "burned.mp4")) return "the profile burns the subtitles in and " + v.language + " has no burned-in version: add it to [series] burn_in";
        // Inside the safe area, as the burn-in drew it (scaling keeps the fractions).
        const json areas = v.manifest.source.value("burned_text_area", json::object());
        if (!areas.contains(v.language))
            return "its burned-in version does not say where its subtitles were drawn (made by an older dramaloc): run the series again";
        const json& drawn = areas.at(v.language);
        if (drawn.is_null()) return choose_size(v, p, picture);  // nothing was drawn: nothing outside
        if (std::string outside = outside_safe_area(drawn, p.picture.safe_area); !outside.empty()) return outside;
        const double fw = drawn.at("frame_width").get<double>(), fh = drawn.at("frame_height").get<double>();
        const auto fraction = [](double x) { return std::round(x * 1000) / 1000; };
        picture.text_area = {{"drawn", {{"left", fraction(drawn.at("x").get<double>() / fw)},
                                        {"top", fraction(drawn.at("y").get<double>() / fh)},
                                        {"right", fraction((drawn.at("x").get<double>() + drawn.at("width").get<double>()) / fw)},
                                        {"bottom", fraction((drawn.at("y").get<double>() + drawn.at("height").get<double>()) / fh)}}},
                             {"safe_area", {{"top", p.picture.safe_area.top}, {"bottom", p.picture.safe_area.bottom},
                                            {"left", p.picture.safe_area.left}, {"right", p.picture.safe_area.right}}},
                             {"inside", true}};
    } else {
        picture.file = v.folder / (base + ".localized.mp4");
        if (!fs::exists(picture.file)) return "its localized MP4 is missing: run the series";
        if (p.picture.text == "textless" && v.manifest.source.contains("hardsubs")) {
            // The source has burned-in subtitles: the picture cleaned of them ([series] textless).
            picture.file = v.folder / (base + ".textless.mp4");
            if (!written_by_last_publish(v, picture.file))
                return "the picture has burned-in source subtitles and the profile wants it textless: set textless = true under "
                       "[series] in the series file and run it again";
            picture.cleaned_band = hardsubs::parse_band(v.manifest.source.at("hardsubs").at("band").get<std::string>());
            // Read as the pipeline read them (a manifest from before it said: the source language).
            picture.text_language = v.manifest.source.at("hardsubs").value("language", v.manifest.source_language);
            if (picture.text_language.empty()) picture.text_language = v.manifest.source_language;
        }
    }
    return choose_size(v, p, picture);
}

// Whether the chosen picture is copied or encoded to the profile, or why it cannot be.
std::string choose_size(const Version&, const Profile& p, Picture& picture) {
    const media::MediaInfo info = media::probe(picture.file);
    const media::StreamInfo* video = info.best_video();
    if (!video) return picture.file.filename().string() + " has no video";
    picture.video_ms = video->duration_ms;
    picture.source_height = video->height;
    if (p.picture.fps != 0 && std::lround(video->frame_rate.fps()) != p.picture.fps)
        return "the picture runs at " + std::to_string(video->frame_rate.fps()) + " fps and the profile wants " + std::to_string(p.picture.fps) +
               "; deliver does not change frame rates";
    const bool size_ok = video->width == p.picture.width && video->height == p.picture.height;
    const bool rate_ok = p.picture.max_bitrate_kbps == 0 || (video->bit_rate > 0 && video->bit_rate <= std::int64_t{p.picture.max_bitrate_kbps} * 1000);
    picture.encode = p.picture.mode == "encode" || !size_ok || !rate_ok;
    if (!picture.encode) return "";
    if (video->rotation_degrees != 0)
        return "the picture is stored turned " + std::to_string(video->rotation_degrees) + " degrees and deliver does not encode turned pictures yet";
    // Scaled, never cropped or padded: the shape must be the profile's (within 1 %).
    const double shape = static_cast<double>(video->width) / video->height, wanted = static_cast<double>(p.picture.width) / p.picture.height;
    if (std::abs(shape / wanted - 1.0) > 0.01)
        return "the picture is " + std::to_string(video->width) + "x" + std::to_string(video->height) + " and the profile wants " +
               std::to_string(p.picture.width) + "x" + std::to_string(p.picture.height) + ", another shape; deliver scales but does not crop or pad";
    return "";
}

// The stems a profile asks for, as the mix published them ([mix] stems), or why there are none.
std::string stems_missing(const Version& v, const Profile& p) {
    if (p.audio.layout != "stems") return "";
    for (const char* stem : {"me.wav", "dialogue.wav"})
        if (!published_now(v, stem))
            return "the profile asks for the M&E and dialogue stems and the series does not keep them: set stems = true under [mix] "
                   "in the series file and run it again";
    return "";
}

// Where the version speaks: its script's lines as published (the speech our recognition found,
// as people edited it), which speech-gated loudness is measured over.
std::vector<dub::SpeechRegionMs> speech_of(const Version& v) {
    std::vector<dub::SpeechRegionMs> speech;
    for (const auto& line : v.manifest.scripts.at(v.language).lines) speech.push_back({line.start, line.end});
    return speech;
}

struct Made {
    fs::path file;
    std::string role;  // "picture", "audio" (the mix), "stem", "subtitles"
    bool audio = false;
};

media::AudioBuffer read_at(const fs::path& wav, int sample_rate) {
    media::AudioBuffer audio = media::read_wav(wav);
    return audio.sample_rate == sample_rate ? audio : media::resample(audio, sample_rate);
}

constexpr double kAacPeakMarginDb = 1.0;

// The dub brought to the profile's loudness; returns the gain it took (before the limiter).
// Speech-gated: the gain that brings the speech to the target, found as the integrated target
// it amounts to (the gain is one number either way).
double bring_to_loudness(media::AudioBuffer& dub, const Profile& p, const std::vector<dub::SpeechRegionMs>& speech) {
    double target = p.audio.loudness.target;
    if (p.audio.loudness.method == "speech-gated") {
        const double gated = dub::measure_speech_loudness(dub, speech);
        const double whole = dub::measure_integrated_loudness(dub);
        if (!std::isfinite(gated) || !std::isfinite(whole))
            throw InputError("the profile gates loudness on speech and the dub has less than 400 ms of it to measure");
        target = whole + (p.audio.loudness.target - gated);
    }
    // AAC's encoder overshoots the peaks it is given (by up to about a dB); the delivered file,
    // which is what is checked, then still keeps the ceiling.
    const double ceiling = p.audio.loudness.true_peak_max - (p.audio.format == "aac" ? kAacPeakMarginDb : 0.0);
    return dub::normalize_loudness(dub, target, ceiling).gain_db;
}

// The files of a version in `dir` (a temporary folder), named as the profile says.
std::vector<Made> make_files(const Version& v, const Profile& p, const Picture& source, const fs::path& dir, const NameFields& fields,
                             const std::vector<dub::SpeechRegionMs>& speech) {
    const auto named = [&](const std::string& ext) {
        NameFields f = fields;
        f.ext = ext;
        return dir / fs::path(expand_name(p.naming.pattern, f)).filename();
    };
    // With stems, the mix is made again as their sum (the published one had its peaks limited at
    // the series' own level), so the delivered stems add up to the delivered mix.
    std::vector<media::AudioBuffer> stems;
    if (p.audio.layout == "stems")
        for (const char* stem : {"me.wav", "dialogue.wav"}) stems.push_back(read_at(published(v, stem), p.audio.sample_rate));
    media::AudioBuffer dub = stems.empty() ? read_at(published(v, "dub.wav"), p.audio.sample_rate) : stems[0];
    for (std::size_t i = 1; i < stems.size(); ++i) {
        if (stems[i].samples.size() != dub.samples.size() || stems[i].channels != dub.channels)
            throw InputError("the published stems of " + v.episode + " " + v.language + " differ in length or channels: run the series again");
        for (std::size_t k = 0; k < dub.samples.size(); ++k) dub.samples[k] += stems[i].samples[k];
    }
    const double gain_db = bring_to_loudness(dub, p, speech);
    fs::path picture = source.file;
    if (source.encode) {  // to the profile's size and bitrate ceiling; its audio is replaced below
        picture = dir / ".picture.mp4";
        media::VideoTranscodeOptions encode;
        encode.width = p.picture.width;
        encode.height = p.picture.height;
        encode.max_bitrate_kbps = p.picture.max_bitrate_kbps;
        media::transcode_video(source.file, picture, [](media::VideoFrameRgb&, TimeMs) {}, encode);
    }
    const auto depth = p.audio.bit_depth == 24 ? media::WavSampleFormat::Pcm24 : media::WavSampleFormat::Pcm16;
    std::vector<Made> made;
    const fs::path mp4 = named("mp4");
    media::MuxOptions mux;
    mux.keep_original_audio = false;
    if (p.audio.format == "aac") {
        const fs::path wav = dir / ".dub.wav";
        media::write_wav(wav, dub, media::WavSampleFormat::Float32);
        media::AudioTrackSpec track;
        track.wav_file = wav;
        track.language = v.language;
        track.title = "dub";
        track.is_default = true;
        track.bitrate = p.audio.bitrate_kbps * 1000;
        media::mux_localized_mp4(picture, mp4, {track}, {}, mux);
        fs::remove(wav);
        made.push_back({mp4, "picture", true});
    } else {
        media::mux_localized_mp4(picture, mp4, {}, {}, mux);
        made.push_back({mp4, "picture", false});
        const fs::path wav = named("wav");
        media::write_wav(wav, dub, depth);
        made.push_back({wav, "audio", true});
    }
    // At the mix's gain, so they add up to the delivered mix (where its limiter did not act).
    const auto gain = static_cast<float>(std::pow(10.0, gain_db / 20.0));
    for (std::size_t i = 0; i < stems.size(); ++i) {
        for (float& x : stems[i].samples) x *= gain;
        const fs::path file = named(i == 0 ? "me.wav" : "dialogue.wav");
        media::write_wav(file, stems[i], depth);
        made.push_back({file, "stem", true});
    }
    for (const auto& format : p.subtitles.formats) {
        const fs::path from = published(v, format);
        if (!fs::exists(from)) throw InputError(from.filename().string() + " is missing: run the series");
        const fs::path to = named(format);
        fs::copy_file(from, to, fs::copy_options::overwrite_existing);
        made.push_back({to, "subtitles", false});
    }
    return made;
}

// Han characters (CJK Unified Ideographs and extension A) in a subtitle meant for a language
// that is not Chinese or Japanese: text left untranslated.
int han_characters(const std::vector<SubtitleEvent>& events) {
    int n = 0;
    for (const auto& e : events)
        for (const auto& line : e.lines)
            for (const char32_t c : code_points(line)) n += (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF);
    return n;
}

// A subtitle file's entry: read back, checked against the language's rules as the profile
// tightens them.
json measure_subtitles(json entry, const fs::path& file, const Profile& p, const std::string& language) {
    const auto doc = subtitles::read_subtitles(file);
    entry["duration_ms"] = doc.events.empty() ? 0 : doc.events.back().end;
    entry["events"] = doc.events.size();
    subtitles::SubtitleRules rules = subtitles::rules_for_language(language);
    const SubtitleSpec& spec = p.subtitles_for(language);
    if (spec.max_chars_per_line > 0) rules.max_chars_per_line = spec.max_chars_per_line;
    if (spec.max_cps > 0) rules.max_chars_per_second = spec.max_cps;
    rules.max_lines = spec.max_lines;
    int errors = 0, warnings = 0;
    for (const auto& v : subtitles::check_events(doc.events, rules, FrameRate{30, 1}))
        (v.severity == subtitles::Severity::Error ? errors : warnings) += 1;
    const std::string primary = language.substr(0, language.find_first_of("-_"));
    const int han = primary == "zh" || primary == "ja" ? 0 : han_characters(doc.events);
    entry["check"] = {{"errors", errors}, {"warnings", warnings}, {"han_characters", han}};
    return entry;
}

// A file's entry in the manifest, measured on the file as delivered.
json measure(const Made& m, const Profile& p, const std::string& language, const std::vector<dub::SpeechRegionMs>& speech) {
    json entry = {{"name", m.file.filename().string()}, {"role", m.role}, {"sha256", sha256_file(m.file)},
                  {"size", static_cast<std::int64_t>(fs::file_size(m.file))}};
    if (m.role == "subtitles") return measure_subtitles(entry, m.file, p, language);
    const media::MediaInfo info = media::probe(m.file);
    const auto* video = info.best_video();
    entry["duration_ms"] = video && video->duration_ms > 0 ? video->duration_ms : info.duration_ms;  // a picture lasts as its video
    if (video) entry["video"] = {{"codec", video->codec}, {"width", video->width}, {"height", video->height}, {"bitrate_kbps", video->bit_rate / 1000}};
    if (m.audio) {
        const auto* audio = info.best_audio();
        const int channels = audio ? std::max(1, audio->channels) : 1;
        const media::AudioBuffer decoded = media::decode_audio(m.file, p.audio.sample_rate, channels);
        const auto loudness = dub::measure_loudness(decoded);
        const auto finite = [](double v) { return std::isfinite(v) ? json(v) : json(nullptr); };
        entry["integrated_lufs"] = finite(loudness.integrated_lufs);
        entry["true_peak_dbtp"] = finite(loudness.true_peak_dbtp);
        if (m.role != "stem" && p.audio.loudness.method == "speech-gated")
            entry["speech_gated_lkfs"] = finite(dub::measure_speech_loudness(decoded, speech));
    }
    return entry;
}

// The checks on what is delivered; the first that fails, or empty.
std::string check_delivered(const json& files, const Profile& p, TimeMs source_ms) {
    for (const auto& f : files) {
        if (f.contains("check") && f["check"]["errors"].get<int>() > 0)
            return f["name"].get<std::string>() + " breaks the profile's subtitle rules " + std::to_string(f["check"]["errors"].get<int>()) +
                   " time(s) (dramaloc subs check shows where)";
        if (f.contains("check") && f["check"]["han_characters"].get<int>() > 0)
            return f["name"].get<std::string>() + " holds " + std::to_string(f["check"]["han_characters"].get<int>()) + " Han characters: lines left untranslated";
        if (f.contains("video")) {
            const json& video = f["video"];
            if (video["width"] != p.picture.width || video["height"] != p.picture.height)
                return f["name"].get<std::string>() + " is " + std::to_string(video["width"].get<int>()) + "x" + std::to_string(video["height"].get<int>()) +
                       ", not the profile's " + std::to_string(p.picture.width) + "x" + std::to_string(p.picture.height);
            if (p.picture.max_bitrate_kbps > 0 && video["bitrate_kbps"].get<std::int64_t>() > p.picture.max_bitrate_kbps)
                return f["name"].get<std::string>() + "'s video runs at " + std::to_string(video["bitrate_kbps"].get<std::int64_t>()) +
                       " kb/s, above the profile's " + std::to_string(p.picture.max_bitrate_kbps);
        }
        if (f["role"] != "subtitles" && source_ms > 0 && std::llabs(f["duration_ms"].get<std::int64_t>() - source_ms) > 50)
            return f["name"].get<std::string>() + " lasts " + std::to_string(f["duration_ms"].get<std::int64_t>()) + " ms, the source " +
                   std::to_string(source_ms) + " ms";
        if (!f.contains("true_peak_dbtp")) continue;
        const double peak = f["true_peak_dbtp"].is_null() ? -200 : f["true_peak_dbtp"].get<double>();
        const bool gated = p.audio.loudness.method == "speech-gated";
        const json figure = gated ? f.value("speech_gated_lkfs", json()) : f["integrated_lufs"];
        if (f["role"] != "stem" && !figure.is_null() && std::abs(figure.get<double>() - p.audio.loudness.target) > p.audio.loudness.tolerance)
            return f["name"].get<std::string>() + " measures " + std::to_string(figure.get<double>()) + (gated ? " LKFS over speech" : " LUFS") +
                   "; the profile wants " + std::to_string(p.audio.loudness.target) + " ± " + std::to_string(p.audio.loudness.tolerance);
        if (peak > p.audio.loudness.true_peak_max + 0.05)
            return f["name"].get<std::string>() + " peaks at " + std::to_string(peak) + " dBTP, above the profile's " +
                   std::to_string(p.audio.loudness.true_peak_max);
    }
    return "";
}

// A textless picture made from one with burned-in subtitles: OCR over the band where they
// were, on the delivered picture, must read nothing. Empty when it reads nothing; `report`
// says what was looked at.
std::string check_textless(const std::vector<Made>& made, const Picture& picture, json& report) {
    const auto delivered = std::find_if(made.begin(), made.end(), [](const Made& m) { return m.role == "picture"; });
    if (delivered == made.end()) return "";
    // The band in the delivered picture's pixels (it may have been scaled).
    const media::MediaInfo info = media::probe(delivered->file);
    const int height = info.best_video() ? info.best_video()->height : picture.source_height;
    const double scale = picture.source_height > 0 ? static_cast<double>(height) / picture.source_height : 1.0;
    hardsubs::SubtitleBand band{static_cast<int>(std::floor(picture.cleaned_band->y0 * scale)),
                                static_cast<int>(std::ceil(picture.cleaned_band->y1 * scale))};
    band.y0 -= band.y0 % 2;  // even rows, as the band reader wants
    band.y1 = std::min(height, band.y1 + band.y1 % 2);
    hardsubs::ExtractOptions o;
    o.language = picture.text_language;
    const hardsubs::HardsubExtraction read = hardsubs::extract_hardsubs(delivered->file, band, o);
    report = {{"band", hardsubs::to_string(band)}, {"frames", read.frames}, {"ocr_calls", read.ocr_calls},
              {"lines_read", read.subtitles.size()}, {"engine", read.engine}};
    if (read.subtitles.empty()) return "";
    const auto& first = read.subtitles.front();
    return "OCR still reads " + std::to_string(read.subtitles.size()) + " burned-in line(s) in the textless picture (the first, \"" + first.text +
           "\", at " + format_clock(first.start) + "): the removal left text; see [removal] in docs/configuration.md";
}

std::string sha256_text(const std::string& text) {
    return sha256_of([&](const auto& update) { update(text.data(), text.size()); });
}

// What a version's package is made from: the same inputs make the same package.
std::string inputs_of(const Version& v, const Profile& p) {
    json profile = p.to_json();
    profile.erase("origin");
    const json inputs = {{"dramaloc", kVersion}, {"profile", profile}, {"input_key", v.manifest.input_key},
                         {"published", v.manifest.published}, {"approved", {{"who", v.approval.who}, {"when", v.approval.when}}}};
    return sha256_text(inputs.dump());
}

// line id -> the revision approved, as an object ({"3": 1}).
json revisions_json(const series::Review& review) {
    json out = json::object();
    for (const auto& [line, revision] : review.revisions) out[std::to_string(line)] = revision;
    return out;
}

// How the audio's loudness was brought to the profile's target and measured.
json loudness_json(const Profile& p, const std::vector<dub::SpeechRegionMs>& speech) {
    json out = {{"method", p.audio.loudness.method}, {"target", p.audio.loudness.target}, {"tolerance", p.audio.loudness.tolerance},
                {"true_peak_max", p.audio.loudness.true_peak_max}};
    if (p.audio.loudness.method == "speech-gated") {
        TimeMs total = 0;
        for (const auto& r : speech) total += r.end - r.start;
        out["gated_on"] = {{"what", "the script's lines (dramaloc's own speech detection, as edited), not Dolby Dialogue Intelligence"},
                           {"regions", speech.size()}, {"speech_ms", total}};
    }
    return out;
}

// A version delivered (or found delivered), in the delivery log when there is one.
void log_delivery(const Version& v, const Profile& p, const DeliverOptions& options, const VersionResult& r, const json& manifest) {
    if (options.log == nullptr) return;
    options.log->record({options.series_id, v.episode, v.language, p.name, p.version, options.destination->root(), r.manifest,
                         sha256_text(manifest.dump(2) + "\n"), v.approval.who, v.approval.when, wall_clock_ms()});
}

VersionResult deliver_version(Version& v, const Profile& p, const DeliverOptions& options, const std::string& series_name) {
    const Destination& to = *options.destination;
    VersionResult r{v.episode, v.language, "held", "", {}};
    NameFields fields{series_name, v.episode, v.language, "", p.name, v.number};
    const std::string folder = expand_name(p.naming.folder, fields);
    const auto rel = [&](const fs::path& name) { return (fs::path(folder) / name.filename()).generic_string(); };
    fields.ext = "manifest.json";
    const std::string manifest_rel = rel(expand_name(p.naming.pattern, fields));
    r.manifest = to.where(manifest_rel);
    Picture picture;
    if (r.reason = stems_missing(v, p); !r.reason.empty()) return r;
    if (r.reason = choose_picture(v, p, picture); !r.reason.empty()) return r;
    const std::string inputs = inputs_of(v, p);
    if (const auto there = to.manifest(manifest_rel); there && there->value("inputs", "") == inputs && to.holds(manifest_rel, *there)) {
        r.state = "unchanged";
        log_delivery(v, p, options, r, *there);
        return r;
    }
    const RemoveOnExit workspace{to.workspace(manifest_rel)};
    const auto speech = speech_of(v);
    const auto made = make_files(v, p, picture, workspace.path, fields, speech);
    fs::remove(workspace.path / ".picture.mp4");
    json files = json::array();
    for (const auto& m : made) files.push_back(measure(m, p, v.language, speech));
    if (r.reason = check_delivered(files, p, picture.video_ms); !r.reason.empty()) return r;
    json textless = nullptr;
    if (picture.cleaned_band)
        if (r.reason = check_textless(made, picture, textless); !r.reason.empty()) return r;
    for (const auto& m : made) to.put(m.file, rel(m.file));
    const json manifest = {{"dramaloc_version", kVersion},
                           {"profile", {{"name", p.name}, {"version", p.version}}},
                           {"series", series_name},
                           {"episode", v.episode},
                           {"number", v.number},
                           {"language", v.language},
                           {"approval", {{"who", v.approval.who}, {"when", v.approval.when}, {"comment", v.approval.comment}, {"revisions", revisions_json(v.approval)}}},
                           {"loudness", loudness_json(p, speech)},
                           {"files", files},
                           {"burned_text", picture.text_area},
                           {"textless", textless},
                           {"inputs", inputs},
                           {"delivered_at", utc_now()}};
    const fs::path manifest_file = workspace.path / fs::path(manifest_rel).filename();
    write_file_atomically(manifest_file, manifest.dump(2) + "\n");
    to.put(manifest_file, manifest_rel);  // last: a package without it is not delivered
    log_delivery(v, p, options, r, manifest);
    r.state = "delivered";
    r.reason.clear();
    return r;
}

}  // namespace

std::string outside_safe_area(const json& a, const SafeArea& safe) {
    const double fw = a.at("frame_width").get<double>(), fh = a.at("frame_height").get<double>();
    const double left = a.at("x").get<double>() / fw, top = a.at("y").get<double>() / fh;
    const double right = (a.at("x").get<double>() + a.at("width").get<double>()) / fw;
    const double bottom = (a.at("y").get<double>() + a.at("height").get<double>()) / fh;
    const auto percent = [](double v) { return std::to_string(static_cast<int>(std::lround(v * 100))) + " %"; };
    const std::string tail = " of the picture, where the platform's interface covers it: run the series again with this dramaloc (its burn-in keeps "
                             "to the safe area) or deliver to a profile without one";
    if (bottom > 1.0 - safe.bottom + 1e-9)
        return "its burned-in subtitles reach down to " + percent(bottom) + " of the height, into the bottom " + percent(safe.bottom) + tail;
    if (top < safe.top - 1e-9) return "its burned-in subtitles reach up to " + percent(top) + " of the height, into the top " + percent(safe.top) + tail;
    if (right > 1.0 - safe.right + 1e-9)
        return "its burned-in subtitles reach right to " + percent(right) + " of the width, into the right " + percent(safe.right) + tail;
    if (left < safe.left - 1e-9) return "its burned-in subtitles reach left to " + percent(left) + " of the width, into the left " + percent(safe.left) + tail;
    return "";
}

std::vector<VersionResult> deliver(const series::SeriesProject& project, const Profile& profile, const DeliverOptions& options) {
    const fs::path out_dir = project.options.run.out_dir;
    Gate gate{project, series::read_reviews(out_dir), series::EditLog(out_dir).history(), policy::content_reviewer_of(project), {}};
    for (const auto& r : policy::read_resolutions(out_dir)) gate.resolved.insert(r.finding);
    const auto& targets = project.options.languages.targets;
    for (const auto& l : options.languages)
        if (std::find(targets.begin(), targets.end(), l) == targets.end())
            throw UsageError("--lang " + l + ": the series does not localize into it");
    std::vector<std::string> names;
    for (const auto& e : project.episodes) names.push_back(e.stem().string());
    for (const auto& e : options.episodes)
        if (std::find(names.begin(), names.end(), e) == names.end()) throw UsageError("-e " + e + ": the series has no such episode");
    const std::string series_name = project.file.stem().string();
    std::vector<VersionResult> results;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!options.episodes.empty() && std::find(options.episodes.begin(), options.episodes.end(), names[i]) == options.episodes.end()) continue;
        for (const auto& language : options.languages.empty() ? targets : options.languages) {
            Version v{names[i], language, static_cast<int>(i) + 1, out_dir / names[i], {}, {}};
            VersionResult r{v.episode, v.language, "held", gate.hold_reason(v), {}};
            if (r.reason.empty()) {
                try {
                    r = deliver_version(v, profile, options, series_name);
                } catch (const InputError& e) {
                    r.reason = e.what();
                }
            }
            options.say(v.episode + " " + v.language + ": " + r.state + (r.reason.empty() ? "" : " (" + r.reason + ")"));
            results.push_back(std::move(r));
        }
    }
    return results;
}

}  // namespace dramaloc::delivery
