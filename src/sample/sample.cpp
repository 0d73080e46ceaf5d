#include "sample/sample.hpp"

#include <algorithm>
#include <span>

#include "core/atomic_file.hpp"
#include "core/cancel.hpp"
#include "core/error.hpp"
#include "engines/tts.hpp"
#include "media/video_encode.hpp"
#include "sample/dialogue.hpp"
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
    if (o.hardsubs_language && *o.hardsubs_language != "zh") {
        throw InputError("burned-in subtitles are available in: zh (got \"" + *o.hardsubs_language + "\")");
    }
}

namespace {

// The usual short-drama look, scaled to the frame: white bold text, black outline, lower third.
subtitles::RenderStyle hardsub_style(int width, int height) {
    const double scale = width / 1080.0;
    subtitles::RenderStyle style;
    style.font_size_px = std::max(10, static_cast<int>(std::lround(84 * scale)));
    style.outline_px = std::max(1, static_cast<int>(std::lround(4 * scale)));
    style.margin_bottom_px = height / 5;
    style.margin_side_px = std::max(4, static_cast<int>(std::lround(50 * scale)));
    return style;
}

std::vector<SubtitleEvent> chinese_events(const Script& english, Scene scene) {
    const std::span<const DialogueLine> dialogue = sample_dialogue(scene);
    std::vector<SubtitleEvent> events;
    for (const Line& line : english.lines) {
        const DialogueLine& source = dialogue[static_cast<std::size_t>(line.id - 1) % dialogue.size()];
        events.push_back(SubtitleEvent{line.id, line.start, line.end, {std::string(source.chinese)}, "", line.speaker});
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
    ref.background = to_string(options.background);
    ref.scene = to_string(options.scene);
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
        ref.hardsubs = chinese_events(ref.script, options.scene);
        burner.emplace(options.width, options.height, hardsub_style(options.width, options.height));
        burner->set_events(ref.hardsubs, *options.hardsubs_language);
    }
    const BackgroundPainter background(options.background, options.width, options.height, options.seed);
    const CornerLogo logo(options.width, options.height);
    ref.logo = logo.area();

    media::VideoEncodeOptions encode;
    encode.width = options.width;
    encode.height = options.height;
    encode.fps = options.fps;
    encode.preset = options.preset;
    encode.keyframe_interval_s = options.keyframe_interval_s;
    encode.audio_sample_rate = kTimelineRate;
    encode.audio_channels = kTimelineChannels;
    encode.audio_language = "en";
    encode.audio_title = "English (sample dialogue)";
    media::Mp4Writer writer(out_mp4, encode, options.with_audio);

    const int stride = options.width * 3;
    std::vector<std::uint8_t> frame(static_cast<std::size_t>(stride) * options.height);
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
        background.paint(i, frame.data(), stride);
        logo.paint(frame.data(), stride);
        if (burner && burner->render(t, frame.data(), stride)) extend(ref.hardsubs_area, *burner->last_drawn_area());
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
