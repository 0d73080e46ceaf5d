#include "series/edit_log.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <ctime>
#include <optional>
#include <set>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/script_json.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/publish.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::series {

using pipeline::EditInForce;
using pipeline::EpisodeEdits;
using pipeline::find_line;
using pipeline::manifest_file;
using pipeline::PublishedLine;
using pipeline::PublishedScripts;
using pipeline::published_scripts;
using pipeline::script_file;

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json edit_to_json(const LineEdit& e) {
    json j = {{"episode", e.episode}, {"language", e.language}, {"line", e.line}, {"before", e.before},
              {"machine", e.machine}, {"who", e.who}, {"when", e.when}, {"via", e.via}};
    if (e.redub) j["redub"] = true;
    else if (!e.speaker.empty()) j["speaker"] = e.speaker;
    else if (e.revert) j["revert"] = true;
    else j["after"] = e.after;
    return j;
}

LineEdit edit_from_json(const json& j) {
    LineEdit e;
    e.episode = j.at("episode").get<std::string>();
    e.language = j.at("language").get<std::string>();
    e.line = j.at("line").get<int>();
    e.before = j.value("before", "");
    e.revert = j.value("revert", false);
    e.redub = j.value("redub", false);
    e.speaker = j.value("speaker", "");
    if (!e.revert && !e.redub && e.speaker.empty()) e.after = j.at("after").get<std::string>();
    e.machine = j.value("machine", "");
    e.who = j.value("who", "");
    e.when = j.value("when", "");
    e.via = j.value("via", "");
    return e;
}

// An exclusive advisory lock on OUT/.edits.lock for as long as it lives.
class EditLock {
public:
    explicit EditLock(const fs::path& out_dir) {
        std::error_code ec;
        fs::create_directories(out_dir, ec);
        const fs::path path = out_dir / ".dramaloc-edits.lock";
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) throw IoError("cannot open " + path.string() + ": " + std::strerror(errno));
        while (::flock(fd_, LOCK_EX) != 0)
            if (errno != EINTR) {
                const int saved = errno;
                ::close(fd_);
                throw IoError("cannot lock " + path.string() + ": " + std::strerror(saved));
            }
    }
    ~EditLock() { ::close(fd_); }
    EditLock(const EditLock&) = delete;
    EditLock& operator=(const EditLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace

EditLog::EditLog(fs::path out_dir) : out_dir_(std::move(out_dir)) {}

std::vector<LineEdit> EditLog::history() const {
    std::vector<LineEdit> out;
    if (!fs::exists(file())) return out;
    try {
        const json j = json::parse(read_text_file(file()));
        for (const auto& e : j.at("edits")) out.push_back(edit_from_json(e));
    } catch (const json::exception& e) {
        throw InputError(file().string() + " is not an edit history dramaloc wrote (" + e.what() +
                         "); restore it from a backup (deleting it forgets every edit)");
    }
    return out;
}

void EditLog::append(const std::vector<LineEdit>& edits) const {
    if (edits.empty()) return;
    append_checked([&](const std::vector<LineEdit>&) { return edits; });
}

void EditLog::locked(const std::function<void(const std::vector<LineEdit>&)>& work) const {
    EditLock lock(out_dir_);
    work(history());
}

void EditLog::append_checked(const std::function<std::vector<LineEdit>(const std::vector<LineEdit>&)>& decide) const {
    EditLock lock(out_dir_);
    const auto so_far = history();
    const auto edits = decide(so_far);
    if (edits.empty()) return;
    json list = json::array();
    for (const auto& e : so_far) list.push_back(edit_to_json(e));
    for (const auto& e : edits) list.push_back(edit_to_json(e));
    write_file_atomically(file(), json{{"edits", list}}.dump(1) + "\n");
}

EpisodeEdits EditLog::in_force(const std::string& episode) const { return in_force(history(), episode); }

EpisodeEdits EditLog::in_force(const std::vector<LineEdit>& history, const std::string& episode) {
    EpisodeEdits out;
    for (const auto& e : history) {
        if (e.episode != episode) continue;
        auto& lines = out[e.language];
        if (e.redub) {
            lines.try_emplace(e.line, EditInForce{"", "", 0, false, ""}).first->second.take += 1;
        } else if (!e.speaker.empty()) {
            lines.try_emplace(e.line, EditInForce{"", "", 0, false, ""}).first->second.speaker = e.speaker;
        } else if (e.revert) {
            const auto it = lines.find(e.line);
            if (it == lines.end()) continue;
            // The text goes back to the machine's; its takes and its speaker stand.
            if (it->second.take > 0 || !it->second.speaker.empty()) it->second = {"", "", it->second.take, false, it->second.speaker};
            else lines.erase(it);
        } else {
            auto& line = lines[e.line];
            line.text = e.after;
            line.machine = e.machine;
            line.sets_text = true;
        }
    }
    for (auto it = out.begin(); it != out.end();) it = it->second.empty() ? out.erase(it) : std::next(it);
    return out;
}


std::vector<LineEdit> detect_script_file_edits(const fs::path& episode_folder, const std::string& episode, const std::string& who,
                                               std::vector<std::string>& warnings) {
    std::vector<LineEdit> out;
    const std::string when = utc_now();
    for (const auto& [language, published] : published_scripts(episode_folder)) {
        const fs::path file = script_file(episode_folder, episode, language);
        if (!fs::exists(file) || hash_file_hex(file) == published.hash) continue;
        const Script script = read_script_json(file);  // InputError naming the file
        if (script.language != language)
            throw InputError(file.string() + ": says it is the \"" + script.language + "\" script, not \"" + language +
                             "\"; put back \"language\": \"" + language + "\"");
        std::map<int, const PublishedLine*> was;
        for (const auto& l : published.lines) was[l.id] = &l;
        std::set<int> seen;
        for (const auto& line : script.lines) {
            seen.insert(line.id);
            const auto it = was.find(line.id);
            if (it == was.end()) {
                warnings.push_back(file.string() + ": line " + std::to_string(line.id) +
                                   " is not in the script; only a line's text can be edited there, so it is left out");
                continue;
            }
            const PublishedLine& before = *it->second;
            if (line.start != before.start || line.end != before.end)
                warnings.push_back(file.string() + ": line " + std::to_string(line.id) +
                                   " was re-timed; only a line's text can be edited there, so its times stay");
            const std::string& text = before.text;
            if (line.text == text) continue;
            LineEdit e;
            e.episode = episode;
            e.language = language;
            e.line = line.id;
            e.before = text;
            e.after = line.text;
            e.machine = before.machine;
            e.who = who;
            e.when = when;
            e.via = "script-file";
            out.push_back(std::move(e));
        }
        for (const auto& [id, line] : was)
            if (!seen.count(id))
                warnings.push_back(file.string() + ": line " + std::to_string(id) +
                                   " was removed; only a line's text can be edited there, so it stays");
    }
    return out;
}

}  // namespace dramaloc::series

namespace dramaloc::series {

EpisodeEdits gather_edits(const fs::path& out_dir, const std::string& episode, const std::function<void(const std::string&)>& say) {
    std::vector<std::string> warnings;
    auto found = detect_script_file_edits(out_dir / episode, episode, current_user(), warnings);
    const EditLog log(out_dir);
    // Recorded by an earlier run that did not get to publish them (or by another process just
    // now): not twice. Checked under the log's lock.
    if (!found.empty()) {
        log.append_checked([&](const std::vector<LineEdit>& history) {
            std::map<std::pair<std::string, int>, std::string> in_force;  // (language, line) -> text
            for (const auto& e : history) {
                if (e.episode != episode || e.redub || !e.speaker.empty()) continue;
                if (e.revert) in_force.erase({e.language, e.line});
                else in_force[{e.language, e.line}] = e.after;
            }
            std::erase_if(found, [&](const LineEdit& e) {
                const auto it = in_force.find({e.language, e.line});
                return it != in_force.end() && it->second == e.after;
            });
            return found;
        });
    }
    if (say) {
        for (const auto& w : warnings) say(w);
        for (const auto& e : found)
            say(episode + " " + e.language + " line " + std::to_string(e.line) + ": edited in " +
                script_file(out_dir / episode, episode, e.language).filename().string() + ", kept in " + log.file().string());
    }
    return log.in_force(episode);
}

}  // namespace dramaloc::series

namespace dramaloc::series {

int line_revision(const std::vector<LineEdit>& history, const std::string& episode, const std::string& language, int line) {
    return static_cast<int>(std::count_if(history.begin(), history.end(), [&](const LineEdit& e) {
        return e.episode == episode && e.language == language && e.line == line;
    }));
}

int stale_lines(const std::string& episode, const std::string& language, const pipeline::PublishedScript& script,
                const std::vector<LineEdit>& history) {
    int stale = 0;
    for (const auto& line : script.lines) stale += line_revision(history, episode, language, line.id) != line.revision;
    return stale;
}

pipeline::LineRevisions line_revisions(const std::vector<LineEdit>& history, const std::string& episode) {
    pipeline::LineRevisions out;
    for (const auto& e : history)
        if (e.episode == episode) ++out[e.language][e.line];
    return out;
}

namespace {

// The line as the episode's last publish recorded it; InputError when the language was never
// published, UsageError when its script has no such line.
PublishedLine published_line(const fs::path& out_dir, const LineEditRequest& request) {
    const PublishedScripts scripts = published_scripts(out_dir / request.episode);
    if (!scripts.count(request.language))
        throw InputError(request.episode + " has no " + request.language + " script yet (" +
                         manifest_file(out_dir / request.episode).string() + "): run the series first");
    const PublishedLine* published = find_line(scripts.at(request.language), request.line);
    if (!published)
        throw UsageError("line " + std::to_string(request.line) + ": " + request.episode + "'s " + request.language +
                         " script has no such line (see " + script_file(out_dir / request.episode, request.episode, request.language).string() + ")");
    return *published;
}

// Giving the line to another character: one edit per language of the series (`result.edit`
// made into each), or none when the line is already theirs.
std::vector<LineEdit> speaker_edits(const std::vector<LineEdit>& history, const LineEditRequest& request, const PublishedLine& published,
                                    LineEditResult& result) {
    // The speaker in force: the last one given to the line (the same in every language).
    std::string now_speaker;
    for (const auto& e : history)
        if (e.episode == request.episode && e.language == request.language && e.line == request.line && !e.speaker.empty())
            now_speaker = e.speaker;
    if (now_speaker.empty()) now_speaker = published.speaker;
    if (now_speaker == request.speaker) {
        result.outcome = LineEditResult::Outcome::Unchanged;
        return {};
    }
    std::vector<LineEdit> edits;
    for (const auto& language : request.languages.empty() ? std::vector<std::string>{request.language} : request.languages) {
        LineEdit e = result.edit;
        e.language = language;
        e.after.clear();
        if (language != request.language) e.before.clear(), e.machine.clear();  // that language's text is not in view
        e.speaker = request.speaker;
        edits.push_back(std::move(e));
    }
    result.outcome = LineEditResult::Outcome::Recorded;
    result.revision += 1;
    return edits;
}

}  // namespace

LineEditResult record_line_edit(const fs::path& out_dir, const LineEditRequest& request,
                                const std::function<void(const std::string&)>& say) {
    if (!request.revert && !request.redub && request.speaker.empty() && (request.text.empty() || request.text.find_first_of("\r\n") != std::string::npos ||
                            !subtitles::is_valid_utf8(request.text)))
        throw UsageError("a line's new text must be one non-empty line of UTF-8 text");
    // Edits made in the script file come first: this one is made on top of them.
    if (request.gather_script_file_edits) gather_edits(out_dir, request.episode, say);
    const PublishedLine line = published_line(out_dir, request);
    LineEditResult result;
    EditLog(out_dir).append_checked([&](const std::vector<LineEdit>& history) -> std::vector<LineEdit> {
        // The line as the history leaves it: its edit in force, else what was published.
        std::optional<LineEdit> last;
        for (const auto& e : history)  // a re-dub leaves the text as it was
            if (e.episode == request.episode && e.language == request.language && e.line == request.line && !e.redub && e.speaker.empty())
                last = e;
        const bool has_edit = last && !last->revert;
        const std::string machine = has_edit ? last->machine : line.machine;
        // After a revert the machine translation is in force, whatever the outputs still say.
        const std::string now = has_edit ? last->after : last ? machine : line.text;
        result.revision = line_revision(history, request.episode, request.language, request.line);
        result.text = now;
        LineEdit& edit = result.edit;
        edit.episode = request.episode;
        edit.language = request.language;
        edit.line = request.line;
        edit.before = now;
        edit.after = request.revert ? std::string() : request.text;
        edit.machine = machine;
        edit.who = request.who.empty() ? current_user() : request.who;
        edit.when = utc_now();
        edit.via = request.via;
        edit.revert = request.revert && !request.redub && request.speaker.empty();
        edit.redub = request.redub;
        if (request.revision && *request.revision != result.revision) {
            result.outcome = LineEditResult::Outcome::Conflict;
            return {};
        }
        if (request.redub) {
            edit.after.clear();
            result.outcome = LineEditResult::Outcome::Recorded;
            result.revision += 1;
            return {edit};
        }
        if (!request.speaker.empty()) return speaker_edits(history, request, line, result);
        if (request.revert && !has_edit) {
            result.outcome = LineEditResult::Outcome::NothingToRevert;
            return {};
        }
        if (!request.revert && request.text == now) {
            result.outcome = LineEditResult::Outcome::Unchanged;
            return {};
        }
        result.outcome = LineEditResult::Outcome::Recorded;
        result.revision += 1;
        result.text = request.revert ? machine : request.text;
        return {edit};
    });
    return result;
}

}  // namespace dramaloc::series
