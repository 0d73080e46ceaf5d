#include "pipeline/publish.hpp"

#include <algorithm>
#include <system_error>

#include "core/atomic_file.hpp"
#include "core/config_schema.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/script_json.hpp"
#include "core/time.hpp"
#include "core/version.hpp"
#include "engines/engine_settings.hpp"
#include "pipeline/artifact_json.hpp"
#include "pipeline/manifest.hpp"
#include "subtitles/format.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// What a published copy was made from, and the size and time it had once written: a file
// whose record still holds is not copied again (a re-render after one edited line copies
// the one dub that changed, not every language's).
json published_record(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    const auto size = fs::file_size(to, ec);
    if (ec) return nullptr;
    const auto time = fs::last_write_time(to, ec);
    if (ec) return nullptr;
    const auto since_epoch = std::chrono::file_clock::to_sys(time).time_since_epoch();
    return {{"from", from.string()},
            {"size", size},
            {"mtime_ns", static_cast<long long>(std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count())}};
}

// Copies an artifact file to its output name atomically, unless `before` (the record of the
// last run's copy) shows the output already is that artifact. Records the copy in `after`.
void publish(const fs::path& from, const fs::path& to, const json& before, json& after) {
    const std::string name = to.filename().string();
    if (!before.contains(name) || before.at(name) != published_record(from, to)) {
        AtomicFile out(to);
        std::error_code ec;
        fs::copy_file(from, out.temp_path(), fs::copy_options::overwrite_existing, ec);
        if (ec) throw IoError("cannot write " + to.string() + ": " + ec.message());
        out.commit();
    }
    after[name] = published_record(from, to);
}

// The copies the last run published into `folder` (its manifest's "published"), or {}.
json last_published(const fs::path& folder) {
    try {
        const json manifest = read_json(folder / "manifest.json");
        if (manifest.contains("published") && manifest.at("published").is_object()) return manifest.at("published");
    } catch (const Error&) {
        // none, or unreadable: everything is copied again
    }
    return json::object();
}


int revision_of(const std::map<int, int>* revisions, int line) {
    if (!revisions) return 0;
    const auto it = revisions->find(line);
    return it == revisions->end() ? 0 : it->second;
}

// How the source script was made (qc.json and manifest "source").
json source_report(const EpisodeWork& work, const LocalizeOptions& options) {
    const SourceAnalysis& source = work.source;
    const SourcePlan& plan = source.plan;
    json out = {{"mode", to_string(plan.mode)}, {"requested", to_string(options.source.choice.mode)}, {"note", plan.note},
                {"lines", source.script.script.lines.size()}};
    if (plan.hardsubs) {
        const auto& x = *plan.hardsubs;
        out["hardsubs"] = {{"band", hardsubs::to_string(x.band)}, {"frames", x.frames}, {"segments", x.segments.size()},
                           {"subtitles", x.subtitles.size()}, {"ocr_calls", x.ocr_calls}, {"ocr_failures", x.ocr_failures},
                           {"dropped_noise", x.dropped_noise}, {"dropped_short", x.dropped_short}, {"engine", x.engine},
                           {"language", x.language}};
    }
    json removals = json::object();
    for (const auto& b : work.burned)
        if (b.removal) removals[b.language.empty() ? "textless" : b.language] = to_json(*b.removal);
    if (!removals.empty()) out["hardsub_removal"] = removals;
    // Where each burned-in version drew its subtitles (delivery checks it against safe areas).
    json drawn = json::object();
    for (const auto& b : work.burned)
        if (!b.language.empty()) drawn[b.language] = b.text_area;  // null: nothing was drawn
    if (!drawn.empty()) out["burned_text_area"] = drawn;
    if (plan.mode == SourceMode::Import && plan.hardsubs_say_the_script) {
        json disagreements = json::array();
        for (const auto& d : source.lines.disagreements)
            disagreements.push_back({{"line", d.line == 0 ? json(nullptr) : json(d.line)}, {"start", d.start}, {"end", d.end},
                                     {"script", d.script}, {"picture", d.picture}});
        out["script_disagreements"] = disagreements;
    }
    return out;
}

// A language's script as published: each line with its machine translation, its source and
// its revision (its edits so far, as rendered: dramaloc serve tells a line whose revision has
// moved on since as stale).
PublishedScript published_script(const LanguageResult& l, const Script& source, const fs::path& file,
                                  const std::map<int, int>* revisions) {
    PublishedScript out{file.filename().string(), hash_file_hex(file), {}};
    for (std::size_t i = 0; i < l.script.lines.size(); ++i) {
        const Line& line = l.script.lines[i];
        const auto spoken = std::find_if(source.lines.begin(), source.lines.end(), [&](const Line& s) { return s.id == line.id; });
        out.lines.push_back({line.id, line.start, line.end, line.speaker, line.text, l.machine.at(i),
                             spoken == source.lines.end() ? "" : spoken->text, revision_of(revisions, line.id)});
    }
    return out;
}

}  // namespace

fs::path script_file(const fs::path& episode_folder, const std::string& episode, const std::string& language) {
    return episode_folder / (episode + "." + language + ".script.json");
}

std::vector<fs::path> publish_episode(const EpisodeWork& work, const LocalizeOptions& options) {
    const std::string name = work.episode.stem().string();
    const fs::path folder = options.run.out_dir / name;
    const EpisodeFacts& video = work.facts;
    const FrameRate fps = video.fps.num > 0 ? video.fps : FrameRate{30, 1};
    const Script& source_script = work.source.script.script;
    std::vector<fs::path> files;
    fs::create_directories(folder);
    const auto out = [&](const std::string& suffix) { return folder / (name + "." + suffix); };
    Manifest manifest;
    const json published_before = last_published(folder);
    const auto copy = [&](const fs::path& from, const fs::path& to) {
        publish(from, to, published_before, manifest.published);
        files.push_back(to);
    };
    const auto write_subs = [&](const std::vector<SubtitleEvent>& events, const std::string& lang) {
        subtitles::SubtitleDocument doc{events, lang, video.width, video.height};
        subtitles::WriteOptions w;
        w.language = lang;
        w.video_width = video.width;
        w.video_height = video.height;
        w.frame_rate = fps;
        for (auto f : {subtitles::SubtitleFormat::Srt, subtitles::SubtitleFormat::WebVtt, subtitles::SubtitleFormat::Ass,
                       subtitles::SubtitleFormat::Ttml}) {
            const fs::path path = out(lang + subtitles::file_extension(f));
            subtitles::write_subtitles(path, doc, w);
            files.push_back(path);
        }
    };
    write_subs(work.source_subtitles.events, source_script.language);
    manifest.source = source_report(work, options);
    json qc = {{"episode", work.episode.string()}, {"source", manifest.source}, {"languages", json::object()}};
    // Each language's script as spoken, for people to read and edit (series/edit_log.hpp): the
    // manifest keeps what was written, so the next run sees what changed.
    for (const auto& l : work.languages) {
        const fs::path file = script_file(folder, name, l.language);
        write_script_json(file, l.script);
        files.push_back(file);
        const auto revisions = options.languages.revisions.find(l.language);
        manifest.scripts[l.language] =
            published_script(l, source_script, file, revisions == options.languages.revisions.end() ? nullptr : &revisions->second);
    }
    for (const auto& l : work.languages) {
        write_subs(l.subtitles.events, l.language);
        copy(l.dub.wav, out(l.language + ".dub.wav"));
        if (l.dub.stems) {  // [mix] stems, for delivery profiles that ask for them
            copy(l.dub.stems->music_effects, out(l.language + ".me.wav"));
            copy(l.dub.stems->dialogue, out(l.language + ".dialogue.wav"));
        }
        qc["languages"][l.language] = l.qc.to_json();
    }
    // A failed language's outputs are not published; qc.json says why.
    if (!work.failed_languages.empty()) qc["failed_languages"] = work.failed_languages;
    if (!work.localized.empty()) copy(work.localized, out("localized.mp4"));
    for (const auto& b : work.burned) copy(b.file, out(b.language.empty() ? "textless.mp4" : b.language + ".burned.mp4"));
    write_json(folder / "qc.json", qc);
    files.push_back(folder / "qc.json");

    manifest.dramaloc_version = kVersion;
    manifest.episode = work.episode.string();
    manifest.input_key = work.source.input_key;
    manifest.source_language = source_script.language;
    manifest.target_languages = options.languages.targets;
    // Which engine made this episode, as the run said it (the review page shows it): the
    // backend, and for a model server its endpoint and model (never its key).
    for (const auto& [stage, engine] : run_engines(options)) {
        const bool server = engine.backend == "openai";
        manifest.engines[stage] = {engine.backend, engines::describe(engine), server ? mask_url_credentials(engine.url) : std::string(),
                                   server ? engine.model : std::string()};
    }
    manifest.characters = work.source.script.characters;
    manifest.voice_references = work.source.voice_references.to_json();
    manifest.failed_languages = work.failed_languages;
    for (const auto& f : files) manifest.outputs.push_back(fs::relative(f, folder).string());
    manifest.outputs.push_back("manifest.json");
    manifest.run = work.log.to_json();
    manifest.wall_seconds = seconds_since(work.started);
    write_manifest(folder, manifest);
    files.push_back(manifest_file(folder));
    return files;
}

}  // namespace dramaloc::pipeline
