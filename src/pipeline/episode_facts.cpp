#include "pipeline/episode_facts.hpp"

#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "media/probe.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;


json EpisodeFacts::to_json() const {
    return {{"size", size},   {"mtime_ns", mtime_ns}, {"inode", inode},         {"input_key", input_key}, {"duration_ms", duration_ms},
            {"has_video", has_video}, {"width", width}, {"height", height}, {"fps", {fps.num, fps.den}}, {"audio_channels", audio_channels}};
}

EpisodeFacts EpisodeFacts::from_json(const json& j) {
    try {
        EpisodeFacts f;
        f.size = j.at("size").get<std::int64_t>();
        f.mtime_ns = j.at("mtime_ns").get<std::int64_t>();
        f.inode = j.at("inode").get<std::uint64_t>();
        f.input_key = j.at("input_key").get<std::string>();
        f.duration_ms = j.at("duration_ms").get<TimeMs>();
        f.has_video = j.at("has_video").get<bool>();
        f.width = j.at("width").get<int>();
        f.height = j.at("height").get<int>();
        f.fps = {j.at("fps").at(0).get<int>(), j.at("fps").at(1).get<int>()};
        f.audio_channels = j.at("audio_channels").get<int>();
        return f;
    } catch (const json::exception& e) {
        throw InputError(std::string("not an episode's facts: ") + e.what());
    }
}

EpisodeFacts learn_episode(const fs::path& episode, FileHashCache& hashes) {
    require_readable_file(episode);
    const auto identity = file_identity(episode);
    const media::MediaInfo info = media::probe(episode);
    EpisodeFacts f;
    if (identity) f.size = identity->size, f.mtime_ns = identity->mtime_ns, f.inode = identity->inode;
    f.input_key = hashes.hash(episode);
    f.duration_ms = info.duration_ms;
    if (const auto* video = info.best_video()) {
        f.has_video = true;
        f.width = video->width;
        f.height = video->height;
        f.fps = video->frame_rate;
    }
    if (const auto* audio = info.best_audio()) f.audio_channels = std::max(1, audio->channels);
    return f;
}

EpisodeFacts episode_facts(const fs::path& episode, const std::optional<EpisodeFacts>& known, FileHashCache& hashes, bool* learnt) {
    const bool holds = known && file_identity(episode) == FileIdentity{known->size, known->mtime_ns, known->inode};
    if (learnt) *learnt = !holds;
    return holds ? *known : learn_episode(episode, hashes);
}

}  // namespace dramaloc::pipeline
