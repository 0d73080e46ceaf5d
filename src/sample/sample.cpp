#include "sample/sample.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <memory>
#include <span>

#include "core/atomic_file.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "engines/tts.hpp"
#include "media/video_encode.hpp"
#include "sample/dialogue.hpp"
#include "sample/picture_background.hpp"
#include "sample/reference_json.hpp"
#include "sample/soundtrack.hpp"

namespace dramaloc::sample {

void validate_options(const SampleOptions& o) {
    if (o.seconds < 5 || o.seconds > 3600) {
        throw InputError("sample length must be 5..3600 seconds, got " + std::to_string(o.seconds));
    }
    if (o.width < 64 || o.height < 64 || o.width % 2 != 0 || o.height % 2 != 0) {
        throw InputError("sample size must be even and at least 64x64, got " + std::to_string(o.width) + "x" +
                         std::to_string(o.height));
    }
    if (o.fps.num <= 0 || o.fps.den <= 0 || o.fps.fps() < 1 || o.fps.fps() > 120) {
        throw InputError("sample frame rate must be 1..120 fps, got " + std::to_string(o.fps.num) + "/" +
                         std::to_string(o.fps.den));
    }
    if (o.music_db && (*o.music_db < -60 || *o.music_db > 6)) {
        throw InputError("sample music level must be -60..6 dB relative to the voices, got " + std::to_string(*o.music_db));
    }
    if (o.keyframe_interval_s < 0 || o.keyframe_interval_s > 60) {
        throw InputError("sample key frame interval must be 0 (default) to 60 seconds, got " + std::to_string(o.keyframe_interval_s));
    }
    if (o.hardsubs_language && *o.hardsubs_language != "zh" && *o.hardsubs_language != "zh-Hant") {
        throw InputError("burned-in subtitles are available in: zh, zh-Hant (got \"" + *o.hardsubs_language + "\")");
    }
    if (o.source_width != 0 || o.source_height != 0) {
        if (o.source_width < 64 || o.source_height < 64 || o.source_width % 2 != 0 || o.source_height % 2 != 0 ||
            o.source_width > o.width || o.source_height > o.height)
            throw InputError("sample source size must be even, at least 64x64 and at most the output size " + std::to_string(o.width) + "x" +
                             std::to_string(o.height) + ", got " + std::to_string(o.source_width) + "x" + std::to_string(o.source_height));
    }
    if (o.crf < 0 || o.crf > 51) throw InputError("sample quality (crf) must be 0..51, got " + std::to_string(o.crf));
    const HardsubLook& look = o.look;
    if (look.size_px != 0 && (look.size_px < 10 || look.size_px > 300))
        throw InputError("subtitle font size must be 10..300 px, got " + std::to_string(look.size_px));
    if (look.outline_px < -1 || look.outline_px > 20) throw InputError("subtitle outline must be 0..20 px, got " + std::to_string(look.outline_px));
    if (look.shadow_px < 0 || look.shadow_px > 20) throw InputError("subtitle shadow must be 0..20 px, got " + std::to_string(look.shadow_px));
    if (o.hardsubs_language) require_font(look.font);
    for (const auto& file : o.background_files)
        if (!std::filesystem::is_regular_file(file)) throw InputError("background " + file.string() + ": no such file");
}

const char* to_string(Caption caption) noexcept {
    switch (caption) {
        case Caption::Latin: return "latin";
        case Caption::Cyrillic: return "cyrillic";
        case Caption::None: break;
    }
    return "none";
}

std::optional<Caption> caption_from_string(std::string_view name) noexcept {
    for (const Caption c : {Caption::None, Caption::Latin, Caption::Cyrillic})
        if (name == to_string(c)) return c;
    return std::nullopt;
}

namespace {

// The caption layer: small white text at the top left, a new caption every 4 s.
std::vector<SubtitleEvent> caption_events(Caption caption, TimeMs duration) {
    static constexpr std::string_view kLatin[] = {"LIVE · Channel 8 News", "Weather: rain tonight", "Up next: Evening Drama",
                                                  "www.example.tv"};
    static constexpr std::string_view kCyrillic[] = {"Прямой эфир · Канал 8", "Погода: вечером дождь", "Далее: вечерний сериал",
                                                     "Новости дня"};
    std::vector<SubtitleEvent> events;
    if (caption == Caption::None) return events;
    constexpr TimeMs kEvery = 4000;
    for (TimeMs t = 0; t < duration; t += kEvery) {
        const auto i = static_cast<std::size_t>(t / kEvery) % 4;
        const std::string_view text = caption == Caption::Latin ? kLatin[i] : kCyrillic[i];
        events.push_back(SubtitleEvent{static_cast<int>(events.size()) + 1, t, std::min(duration, t + kEvery), {std::string(text)}, "", ""});
    }
    return events;
}

subtitles::RenderStyle caption_style(int width, int height) {
    const double scale = width / 1080.0;
    subtitles::RenderStyle style;
    style.font = "Noto Sans";
    style.font_size_px = std::max(8, static_cast<int>(std::lround(44 * scale)));
    style.outline_px = std::max(1, static_cast<int>(std::lround(2 * scale)));
    style.bold = false;
    style.alignment = 7;  // top left
    style.margin_side_px = std::max(4, static_cast<int>(std::lround(40 * scale)));
    style.margin_bottom_px = height / 24;  // from the top
    return style;
}

subtitles::PixelRect scaled_rect(const subtitles::PixelRect& r, int from_w, int from_h, int to_w, int to_h) {
    if (from_w == to_w && from_h == to_h) return r;
    const auto sx = [&](int v) { return static_cast<int>(static_cast<long long>(v) * to_w / from_w); };
    const auto sy = [&](int v) { return static_cast<int>(static_cast<long long>(v) * to_h / from_h); };
    const int x1 = std::min(to_w, static_cast<int>((static_cast<long long>(r.x + r.width) * to_w + from_w - 1) / from_w));
    const int y1 = std::min(to_h, static_cast<int>((static_cast<long long>(r.y + r.height) * to_h + from_h - 1) / from_h));
    return {sx(r.x), sy(r.y), x1 - sx(r.x), y1 - sy(r.y)};
}

std::string background_name(const SampleOptions& options) {
    if (options.background_files.empty()) return to_string(options.background);
    std::string name = "files:";
    for (const auto& f : options.background_files) name += (name.size() > 6 ? "," : "") + f.filename().string();
    return name;
}

// Simplified Chinese written in Traditional characters (ICU's Hans-Hant transliterator), as
// dramas made for Taiwan and Hong Kong burn them in.
std::string traditional(std::string_view simplified) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> to_traditional(icu::Transliterator::createInstance("Hans-Hant", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !to_traditional) throw EngineError("ICU has no Hans-Hant transliterator; reinstall libicu72");
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(simplified.data(), static_cast<int32_t>(simplified.size())));
    to_traditional->transliterate(text);
    std::string out;
    text.toUTF8String(out);
    return out;
}

std::vector<SubtitleEvent> chinese_events(const Script& english, Scene scene, bool in_traditional) {
    const std::span<const DialogueLine> dialogue = sample_dialogue(scene);
    std::vector<SubtitleEvent> events;
    for (const Line& line : english.lines) {
        const DialogueLine& source = dialogue[static_cast<std::size_t>(line.id - 1) % dialogue.size()];
        std::string text(source.chinese);
        if (in_traditional) text = traditional(text);
        events.push_back(SubtitleEvent{line.id, line.start, line.end, {std::move(text)}, "", line.speaker});
    }
    return events;
}

void extend(std::optional<subtitles::PixelRect>& area, const subtitles::PixelRect& r) {
    if (!area) {
        area = r;
        return;
    }
    const int x1 = std::max(area->x + area->width, r.x + r.width);
    const int y1 = std::max(area->y + area->height, r.y + r.height);
    area->x = std::min(area->x, r.x);
    area->y = std::min(area->y, r.y);
    area->width = x1 - area->x;
    area->height = y1 - area->y;
}

}  // namespace

std::filesystem::path reference_path_for(const std::filesystem::path& video) {
    std::filesystem::path json = video;
    json.replace_extension(".json");
    return json;
}

SampleResult make_sample(const std::filesystem::path& out_mp4, const SampleOptions& options) {
    validate_options(options);
    auto report = [&](double fraction) {
        if (options.on_progress) options.on_progress(std::clamp(fraction, 0.0, 1.0));
    };
    if (out_mp4.has_parent_path()) std::filesystem::create_directories(out_mp4.parent_path());

    SampleReference ref;
    ref.width = options.width;
    ref.height = options.height;
    ref.fps = options.fps;
    ref.frames = static_cast<std::int64_t>(options.seconds) * options.fps.num / options.fps.den;
    ref.duration_ms = ref.frames * 1000 * options.fps.den / options.fps.num;
    ref.background = background_name(options);
    ref.scene = to_string(options.scene);
    if (options.hardsubs_language) ref.look = options.look;
    ref.caption = to_string(options.caption);
    // What frames are drawn at: the output size, or a smaller master that the encoder scales up.
    const int draw_w = options.source_width > 0 ? options.source_width : options.width;
    const int draw_h = options.source_height > 0 ? options.source_height : options.height;
    ref.source_width = draw_w;
    ref.source_height = draw_h;
    ref.crf = options.crf;
    ref.keyframe_interval_s = options.keyframe_interval_s;
    ref.seed = options.seed;
    ref.has_audio = options.with_audio;
    if (options.with_audio) ref.music_db = options.music_db;
    ref.hardsubs_language = options.hardsubs_language;
    for (const SampleCharacter& c : sample_characters()) {
        ref.characters.push_back({std::string(c.id), std::string(c.name), std::string(c.voice)});
    }

    // Sound first: the line times it yields are also the subtitle times.
    constexpr double kAudioShare = 0.1;
    const std::unique_ptr<engines::SpeechSynthesizer> tts = engines::make_synthesizer("espeak");
    PlacedDialogue dialogue = place_dialogue(*tts, ref.duration_ms, options.seed, options.scene,
                                             [&](double f) { report(f * kAudioShare); });
    ref.script = std::move(dialogue.script);
    media::AudioBuffer soundtrack = std::move(dialogue.voice);
    if (options.with_audio && options.music_db)
        mix_into(soundtrack, make_background_music(soundtrack.frames(), options.seed, kVoiceRmsDbfs + *options.music_db));

    std::optional<subtitles::SubtitleRenderer> burner;
    if (options.hardsubs_language) {
        ref.hardsubs = chinese_events(ref.script, options.scene, *options.hardsubs_language == "zh-Hant");
        burner.emplace(draw_w, draw_h, render_style(options.look, draw_w, draw_h));
        burner->set_events(ref.hardsubs, *options.hardsubs_language);
    }
    std::optional<subtitles::SubtitleRenderer> captioner;
    if (options.caption != Caption::None) {
        captioner.emplace(draw_w, draw_h, caption_style(draw_w, draw_h));
        captioner->set_events(caption_events(options.caption, ref.duration_ms), options.caption == Caption::Latin ? "en" : "ru");
    }
    const std::unique_ptr<FrameBackground> background =
        options.background_files.empty()
            ? std::make_unique<BackgroundPainter>(options.background, draw_w, draw_h, options.seed)
            : make_picture_background(options.background_files, draw_w, draw_h, options.fps, options.seed);
    const CornerLogo logo(draw_w, draw_h);
    ref.logo = scaled_rect(logo.area(), draw_w, draw_h, options.width, options.height);

    media::VideoEncodeOptions encode;
    encode.width = options.width;
    encode.height = options.height;
    encode.fps = options.fps;
    encode.preset = options.preset;
    encode.crf = options.crf;
    encode.keyframe_interval_s = options.keyframe_interval_s;
    encode.input_width = draw_w;
    encode.input_height = draw_h;
    encode.audio_sample_rate = kTimelineRate;
    encode.audio_channels = kTimelineChannels;
    encode.audio_language = "en";
    encode.audio_title = "English (sample dialogue)";
    media::Mp4Writer writer(out_mp4, encode, options.with_audio);

    const int stride = draw_w * 3;
    std::vector<std::uint8_t> frame(static_cast<std::size_t>(stride) * static_cast<std::size_t>(draw_h));
    SampleCount audio_written = 0;
    const SampleCount audio_total = ms_to_samples(ref.duration_ms, kTimelineRate);
    auto write_audio_until = [&](SampleCount end) {
        end = std::min(end, audio_total);
        if (!options.with_audio || end <= audio_written) return;
        media::AudioBuffer chunk;
        chunk.sample_rate = kTimelineRate;
        chunk.channels = kTimelineChannels;
        chunk.samples.assign(soundtrack.samples.begin() + audio_written * kTimelineChannels,
                             soundtrack.samples.begin() + end * kTimelineChannels);
        writer.write_audio(chunk);
        audio_written = end;
    };

    const std::int64_t frames_per_second = std::max(1, options.fps.num / options.fps.den);
    for (std::int64_t i = 0; i < ref.frames; ++i) {
        throw_if_cancelled();
        const TimeMs t = i * 1000 * options.fps.den / options.fps.num;  // frame i is shown from t
        background->paint(i, frame.data(), stride);
        logo.paint(frame.data(), stride);
        if (captioner) captioner->render(t, frame.data(), stride);
        if (burner && burner->render(t, frame.data(), stride))
            extend(ref.hardsubs_area, scaled_rect(*burner->last_drawn_area(), draw_w, draw_h, options.width, options.height));
        writer.write_rgb_frame(frame.data(), stride);
        if ((i + 1) % frames_per_second == 0) {
            // Audio goes in alongside the video, a second at a time, so the muxer interleaves evenly.
            write_audio_until((i + 1) * kTimelineRate * options.fps.den / options.fps.num);
            report(kAudioShare + (1 - kAudioShare) * static_cast<double>(i + 1) / static_cast<double>(ref.frames));
        }
    }
    write_audio_until(audio_total);
    writer.finish();

    SampleResult result{out_mp4, reference_path_for(out_mp4), std::move(ref)};
    try {
        write_file_atomically(result.reference, reference_to_json(result.contents).dump(2) + "\n");
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(out_mp4, ignored);  // a video without its reference is useless to tests
        throw;
    }
    report(1.0);
    return result;
}

}  // namespace dramaloc::sample
