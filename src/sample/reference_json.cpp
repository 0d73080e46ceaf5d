#include "sample/reference_json.hpp"

#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/script_json.hpp"
#include "sample/soundtrack.hpp"

namespace dramaloc::sample {
namespace {

using nlohmann::json;

constexpr int kReferenceVersion = 2;  // 2: the subtitles' look, the caption layer, the drawn size, crf

json rect_json(const subtitles::PixelRect& r) {
    return json{{"x", r.x}, {"y", r.y}, {"width", r.width}, {"height", r.height}};
}
subtitles::PixelRect rect_from(const json& j) {
    return {j.at("x").get<int>(), j.at("y").get<int>(), j.at("width").get<int>(), j.at("height").get<int>()};
}

json look_json(const HardsubLook& look) {
    return json{{"font", look.font},         {"size_px", look.size_px}, {"colour", colour_to_string(look.colour)},
                {"outline_px", look.outline_px}, {"shadow_px", look.shadow_px}, {"box", look.box},
                {"bold", look.bold},         {"position", to_string(look.position)}};
}

HardsubLook look_from(const json& j) {
    HardsubLook look;
    look.font = j.at("font").get<std::string>();
    look.size_px = j.at("size_px").get<int>();
    look.colour = colour_from_string(j.at("colour").get<std::string>()).value_or(0xFFFFFF);
    look.outline_px = j.at("outline_px").get<int>();
    look.shadow_px = j.at("shadow_px").get<int>();
    look.box = j.at("box").get<bool>();
    look.bold = j.at("bold").get<bool>();
    look.position = text_position_from_string(j.at("position").get<std::string>()).value_or(TextPosition::LowerThird);
    return look;
}

}  // namespace

json reference_to_json(const SampleReference& ref) {
    json video{{"width", ref.width},
               {"height", ref.height},
               {"fps", {{"num", ref.fps.num}, {"den", ref.fps.den}}},
               {"frames", ref.frames},
               {"duration_ms", ref.duration_ms},
               {"background", ref.background},
               {"scene", ref.scene},
               {"keyframe_interval_s", ref.keyframe_interval_s},
               {"seed", ref.seed},
               {"logo", rect_json(ref.logo)},
               {"caption", ref.caption},
               {"source_width", ref.source_width},
               {"source_height", ref.source_height},
               {"crf", ref.crf}};
    json audio = nullptr;
    if (ref.has_audio)
        audio = json{{"sample_rate", 48000},
                     {"channels", 2},
                     {"music_db", ref.music_db ? json(*ref.music_db) : json(nullptr)},
                     {"music_rms_dbfs", ref.music_db ? json(kVoiceRmsDbfs + *ref.music_db) : json(nullptr)}};
    json hardsubs = nullptr;
    if (ref.hardsubs_language) {
        hardsubs = json{{"language", *ref.hardsubs_language}, {"events", ref.hardsubs}};
        if (ref.look) hardsubs["look"] = look_json(*ref.look);
        hardsubs["area"] = ref.hardsubs_area ? rect_json(*ref.hardsubs_area) : json(nullptr);
    }
    json characters = json::array();
    for (const SampleCharacterInfo& c : ref.characters) {
        characters.push_back(json{{"id", c.id}, {"name", c.name}, {"voice", c.voice}});
    }
    return json{{"generator", {{"name", "dramaloc sample"}, {"version", kReferenceVersion}}},
                {"video", video},
                {"audio", audio},
                {"script", ref.script},
                {"hardsubs", hardsubs},
                {"characters", characters}};
}

SampleReference reference_from_json(const json& j) {
    SampleReference ref;
    const json& video = j.at("video");
    ref.width = video.at("width").get<int>();
    ref.height = video.at("height").get<int>();
    ref.fps = FrameRate{video.at("fps").at("num").get<int>(), video.at("fps").at("den").get<int>()};
    ref.frames = video.at("frames").get<std::int64_t>();
    ref.duration_ms = video.at("duration_ms").get<TimeMs>();
    ref.background = video.at("background").get<std::string>();
    ref.seed = video.at("seed").get<std::uint64_t>();
    ref.logo = rect_from(video.at("logo"));
    ref.scene = video.value("scene", std::string("standard"));
    ref.keyframe_interval_s = video.value("keyframe_interval_s", 0);
    ref.caption = video.value("caption", std::string("none"));
    ref.source_width = video.value("source_width", ref.width);
    ref.source_height = video.value("source_height", ref.height);
    ref.crf = video.value("crf", 23);
    ref.has_audio = !j.at("audio").is_null();
    if (ref.has_audio) {
        const json& audio = j.at("audio");
        if (audio.contains("music_db")) {
            if (!audio.at("music_db").is_null()) ref.music_db = audio.at("music_db").get<double>();
        } else {
            ref.music_db = kDefaultMusicDb;  // references written before the level was an option
        }
    }
    ref.script = j.at("script").get<Script>();
    const json& hardsubs = j.at("hardsubs");
    if (!hardsubs.is_null()) {
        ref.hardsubs_language = hardsubs.at("language").get<std::string>();
        ref.hardsubs = hardsubs.at("events").get<std::vector<SubtitleEvent>>();
        if (hardsubs.contains("area") && !hardsubs.at("area").is_null()) ref.hardsubs_area = rect_from(hardsubs.at("area"));
        ref.look = hardsubs.contains("look") ? look_from(hardsubs.at("look")) : HardsubLook{};
    }
    for (const json& c : j.at("characters")) {
        ref.characters.push_back({c.at("id").get<std::string>(), c.at("name").get<std::string>(),
                                  c.at("voice").get<std::string>()});
    }
    return ref;
}

SampleReference read_sample_reference(const std::filesystem::path& json_path) {
    const std::string text = read_text_file(json_path);
    try {
        return reference_from_json(json::parse(text));
    } catch (const json::exception& e) {
        throw InputError(json_path.string() + ": not a dramaloc sample reference (" + e.what() + ")");
    }
}

}  // namespace dramaloc::sample
