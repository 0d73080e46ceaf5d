// Stage burn-in: a language's subtitles drawn into the picture (libass), after the burned-in
// ones are removed when asked, H.264 re-encoded, with that language's dub.
#include <algorithm>
#include <cmath>
#include <optional>

#include "media/mux.hpp"
#include "media/video_encode.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/stages/episode.hpp"
#include "subtitles/format.hpp"
#include "subtitles/render/ass_renderer.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kEngine = "libass+x264";

// Vertical pictures keep their subtitles inside the safe area of the platforms that show them
// (the delivery profiles' social-vertical: their interface covers the top 10 %, the bottom 20 %,
// the left 5 % and the right 15 %): 22 % from the bottom, 6 % from the left, 16 % from the
// right, the font sized for a full line in what is left. Others: 12 % from the bottom.
constexpr double kSafeLeft = 0.06, kSafeRight = 0.16, kSafeBottom = 0.22;

subtitles::RenderStyle burn_style(const EpisodeFacts& video, const std::string& language) {
    subtitles::RenderStyle style;
    subtitles::WriteOptions w;
    w.language = language;
    w.video_width = video.width;
    w.video_height = video.height;
    style.font = subtitles::resolved_font_name(w);
    style.font_size_px = subtitles::resolved_font_size(w);  // for 90 % of the width
    style.margin_bottom_px = video.height * 12 / 100;
    if (video.height > video.width) {
        style.margin_side_px = static_cast<int>(std::lround(video.width * kSafeLeft));
        style.margin_right_px = static_cast<int>(std::lround(video.width * kSafeRight));
        style.margin_bottom_px = static_cast<int>(std::lround(video.height * kSafeBottom));
        style.font_size_px = std::max(8, static_cast<int>(style.font_size_px * (1.0 - kSafeLeft - kSafeRight) / 0.90));
    }
    return style;
}

hardsubs::RemovalReport removal_from_json(const json& j) {
    return {j.at("method").get<std::string>(), j.at("frames").get<std::int64_t>(), j.at("frames_cleaned").get<std::int64_t>(),
            j.at("inpaint_ms_per_frame").get<double>(), j.at("blur_ms_per_frame").get<double>()};
}

}  // namespace

json to_json(const hardsubs::RemovalReport& r) {
    return {{"method", r.method}, {"frames", r.frames_seen}, {"frames_cleaned", r.frames_cleaned},
            {"inpaint_ms_per_frame", r.inpaint_ms_per_frame}, {"blur_ms_per_frame", r.blur_ms_per_frame}};
}

BurnedVideo burn_in(StageContext& context, const fs::path& episode, const EpisodeFacts& video, const SourceAnalysis& source,
                    const BurnIn& request) {
    const std::string& lang = request.language;  // empty: the textless picture
    const auto* l = request.dubbed;
    const auto* removal = request.removal;
    const std::string removal_parameters =
        removal ? std::string(hardsubs::to_string(removal->method)) + "/" + std::to_string(removal->inpaint_radius) + "/" +
                      std::to_string(removal->inpaint_budget_ms)
                : "";
    const std::string key = stage_key(StageId::BurnIn, kEngine,
                                      {source.input_key, request.subtitles.key, l ? l->dub.key : "", removal ? source.plan.hardsubs_key : ""},
                                      removal_parameters);
    context.announce(lang.empty() ? "textless picture: remove the burned-in subtitles" : lang + ": burn in subtitles");
    const fs::path dir = run_stage(context, {StageId::BurnIn, lang.empty() ? "textless" : lang, kEngine, key}, [&](const fs::path& d) {
        subtitles::SubtitleRenderer renderer(video.width, video.height, burn_style(video, lang));
        renderer.set_events(request.subtitles.events, lang);
        const fs::path painted = d / "painted.mp4";
        std::optional<hardsubs::HardsubRemover> remover;
        if (removal) remover.emplace(source.plan.hardsubs->band, source.plan.hardsubs->segments, *removal);
        std::optional<subtitles::PixelRect> drawn;  // the union of every frame's
        media::transcode_video(episode, painted, [&](media::VideoFrameRgb& frame, TimeMs pts) {
            if (remover) remover->clean(frame.pixels, frame.width, frame.height, frame.stride, frame.index);
            if (!renderer.render(pts, frame.pixels, frame.stride) || !renderer.last_drawn_area()) return;
            const auto& r = *renderer.last_drawn_area();
            if (!drawn) drawn = r;
            const int x1 = std::max(drawn->x + drawn->width, r.x + r.width), y1 = std::max(drawn->y + drawn->height, r.y + r.height);
            drawn->x = std::min(drawn->x, r.x);
            drawn->y = std::min(drawn->y, r.y);
            drawn->width = x1 - drawn->x;
            drawn->height = y1 - drawn->y;
        });
        if (remover) write_json(d / "removal.json", to_json(remover->report()));
        write_json(d / "drawn.json", drawn ? json{{"x", drawn->x}, {"y", drawn->y}, {"width", drawn->width}, {"height", drawn->height},
                                                  {"frame_width", video.width}, {"frame_height", video.height}}
                                           : json(nullptr));
        if (!l) {
            fs::rename(painted, d / "burned.mp4");
            return;
        }
        media::AudioTrackSpec track;
        track.encoded_file = l->dub_m4a;
        track.language = lang;
        track.title = language_title(lang, "dub");
        track.is_default = true;
        media::MuxOptions o;
        o.keep_original_audio = false;
        media::mux_localized_mp4(painted, d / "burned.mp4", {track}, {}, o);
        fs::remove(painted);
    });
    BurnedVideo out{lang, dir / "burned.mp4", std::nullopt, nullptr};
    if (fs::exists(dir / "removal.json")) out.removal = removal_from_json(read_json(dir / "removal.json"));
    if (fs::exists(dir / "drawn.json")) out.text_area = read_json(dir / "drawn.json");
    return out;
}

}  // namespace dramaloc::pipeline
