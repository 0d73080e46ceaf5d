// Downloads and uploads: their routes and what the station does for them.
#include "server/station.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>

#include "core/error.hpp"
#include "core/language.hpp"
#include "core/time.hpp"
#include "core/version.hpp"
#include "jobs/factory.hpp"
#include "media/probe.hpp"
#include "search/library_lines.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::server {

namespace {

// What an episode's outputs folder may hand out, by name: media and subtitles, and the
// language's script file. Never the manifest, QC or anything hidden or half-written.
const char* download_type(const std::string& name) {
    if (name.empty() || name.front() == '.') return nullptr;
    const auto ends = [&](std::string_view tail) { return name.size() > tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0; };
    if (ends(".mp4")) return "video/mp4";
    if (ends(".m4a")) return "audio/mp4";
    if (ends(".wav")) return "audio/wav";
    if (ends(".vtt")) return "text/vtt; charset=utf-8";
    if (ends(".srt")) return "application/x-subrip; charset=utf-8";
    if (ends(".ass")) return "text/x-ssa; charset=utf-8";
    if (ends(".ttml")) return "application/ttml+xml; charset=utf-8";
    if (ends(".script.json")) return "application/json";
    return nullptr;
}

// A file's bytes, with HTTP range requests answered (206) so a player can seek: one range,
// its end clamped to the file; a range past the end, or several, is 416. The file is opened
// now: a render replacing it (by rename) mid-download does not mix two versions, and its ETag
// (the opened file's identity) with If-Range keeps a player from mixing ranges of two
// versions across requests.
http::Response send_file(const http::Request& req, const fs::path& path, const std::string& type) {
    auto slice = std::make_shared<http::FileSlice>();
    slice->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct ::stat st {};
    if (slice->fd < 0 || ::fstat(slice->fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw Problem{404, "No such file", "the file is not there (any more); list the episode again"};
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const std::string etag = "\"" + std::to_string(st.st_ino) + "-" + std::to_string(size) + "-" + std::to_string(st.st_mtim.tv_sec) + "." +
                             std::to_string(st.st_mtim.tv_nsec) + "\"";
    std::string range = req.header("Range");
    if (req.has_header("If-Range") && req.header("If-Range") != etag) range.clear();  // changed: the whole new file
    const auto part = http::byte_range(range, size);
    if (!part)
        throw Problem{416, "Range not satisfiable", "ask for one range within the file's " + std::to_string(size) + " bytes",
                      json::object(), {{"Content-Range", "bytes */" + std::to_string(size)}}};
    http::Response res;
    res.content_type = type;
    res.set_header("Accept-Ranges", "bytes");
    res.set_header("Cache-Control", "no-cache");
    res.set_header("ETag", etag);
    if (!range.empty()) {
        res.status = 206;
        res.set_header("Content-Range", "bytes " + std::to_string(part->first) + "-" + std::to_string(part->first + part->second - 1) + "/" +
                                            std::to_string(size));
    }
    slice->offset = part->first;
    slice->length = part->second;
    res.file = std::move(slice);
    return res;
}

}  // namespace

// A file of the episode's outputs, by name: found in a listing of its folder (a regular
// file, not a link), never by joining the name onto a path.
fs::path Station::output_file(const Series& s, const std::string& episode, const std::string& name) const {
    if (download_type(name)) {
        std::error_code ec;
        for (fs::directory_iterator it(s.out_dir / episode, ec), end; !ec && it != end; it.increment(ec))
            if (it->path().filename().string() == name && it->symlink_status(ec).type() == fs::file_type::regular) return it->path();
    }
    throw Problem{404, "No such file", "episode \"" + episode + "\" has no such output to download (see media in GET …/lines)"};
}

// PUT …/episodes/{episode}/source: a new episode's video, streamed by the server to a hidden
// file beside the series' episodes (upload_file, before the body is read), probed here (the
// name and the Content-Type prove nothing), and only then put in place under the name the
// series' `episodes` pattern takes. Whatever fails, nothing is left behind: the server
// removes the hidden file after the handler.
fs::path Station::upload_target(const Series& s, const std::string& episode) const {
    static const std::regex kName(R"([A-Za-z0-9][A-Za-z0-9_-]{0,63})");
    if (!std::regex_match(episode, kName))
        throw Problem{400, "Bad episode name", "an episode's name is letters, digits, - and _ (at most 64), starting with a letter or digit"};
    if (episode == "characters")  // OUT/characters/ holds the series' voice references
        throw Problem{400, "Bad episode name", "\"characters\" is the name of the series' own folder of voices; name the episode otherwise"};
    const auto list = episodes_of(s);
    if (std::any_of(list.begin(), list.end(), [&](const fs::path& e) { return e.stem().string() == episode; }))
        throw Problem{409, "Episode exists", "series \"" + s.id + "\" has an episode \"" + episode + "\" already; uploads add episodes"};
    std::string patterns;
    for (const auto& pattern : s.project.episode_patterns) {
        const std::string extension = pattern.extension().string();
        if (extension.find_first_of("*?[") != std::string::npos) continue;  // "ep*.*": no one extension to give it
        const fs::path candidate = pattern.parent_path() / (episode + extension);
        if (::fnmatch(pattern.filename().c_str(), candidate.filename().c_str(), FNM_PERIOD) == 0) return candidate;
        patterns += (patterns.empty() ? "" : ", ") + pattern.filename().string();
    }
    throw Problem{400, "Name not taken by the series",
                  patterns.empty() ? "the series lists its episodes one by one (no pattern): add this one to its file"
                                   : "the series' episodes are named like " + patterns + ": name the episode so"};
}

// Where the body goes: a hidden file in the target's folder (renamed into place: the same disk).
fs::path Station::upload_file(const Series& s, const std::string& episode) const {
    const fs::path target = upload_target(s, episode);
    return target.parent_path() / ("." + episode + ".upload-" + new_token().substr(4, 16));
}

json Station::upload_source(std::size_t index, const http::Request& req) {
    Series& s = series[index];
    const std::string& episode = req.params[1];
    const fs::path target = upload_target(s, episode);
    const std::uint64_t got = req.body_bytes;
    media::MediaInfo info;
    try {
        info = media::probe(req.body_file);
    } catch (const Error&) {
        throw Problem{415, "Not a video", "the upload is not a video dramaloc can read (FFmpeg found no media in it); nothing was kept"};
    }
    if (!info.best_video())
        throw Problem{415, "Not a video", "the upload has no video stream (an episode is a video); nothing was kept"};
    {
        std::lock_guard lock(episodes_mutex);
        // link(2) refuses to replace a file: two uploads of one name, one wins.
        if (::link(req.body_file.c_str(), target.c_str()) != 0) {
            if (errno == EEXIST)
                throw Problem{409, "Episode exists", "an episode named \"" + episode + "\" arrived meanwhile; uploads add episodes"};
            throw IoError("cannot store " + target.string() + ": " + std::strerror(errno));
        }
        auto& list = s.project.episodes;
        list.push_back(target);
        std::sort(list.begin(), list.end(),
                  [](const fs::path& a, const fs::path& b) { return series::natural_less(a.filename().string(), b.filename().string()); });
    }
    log("dramaloc serve: " + s.id + ": episode " + episode + " uploaded (" + std::to_string(got) + " bytes)");
    publish(index, "episode", {{"episode", episode}});
    const auto* audio = info.best_audio();
    return {{"episode", episode}, {"bytes", got}, {"duration_ms", info.duration_ms}, {"width", info.best_video()->width},
            {"height", info.best_video()->height}, {"audio", audio != nullptr}};
}

void add_files_routes(Station* self, std::vector<http::Route>& r) {
    using http::BodyKind;
    using http::Request;
    using http::Response;
    r.push_back({"GET", "/api/series/{series}/episodes/{episode}/files/{file}", BodyKind::None,
                 [self](Request& req) {
                     const Series& s = self->find_series(req.params[0]);
                     self->find_episode(s, req.params[1]);
                     const std::string& name = req.params[2];
                     const fs::path file = self->output_file(s, req.params[1], name);  // 404 unless a downloadable output
                     return send_file(req, file, download_type(name));
                 },
                 {}, role_needed(Role::Viewer)});
    r.push_back({"GET", "/api/series/{series}/episodes/{episode}/source", BodyKind::None,
                 [self](Request& req) {
                     const Series& s = self->find_series(req.params[0]);
                     const fs::path source = self->find_episode(s, req.params[1]);
                     const char* type = download_type(source.filename().string());
                     return send_file(req, source, type ? type : "application/octet-stream");
                 },
                 {}, role_needed(Role::Viewer)});
    r.push_back({"PUT", "/api/series/{series}/episodes/{episode}/source", BodyKind::Upload,
                 [self](Request& req) { return Response::json(self->upload_source(self->index_of(self->find_series(req.params[0])), req), 201); },
                 [self](Request& req) { return self->upload_file(self->find_series(req.params[0]), req.params[1]); }, role_needed(Role::Admin)});
}

}  // namespace dramaloc::server
