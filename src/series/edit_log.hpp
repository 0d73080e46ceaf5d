#pragma once
// People's edits of translated lines, kept with the series' outputs: OUT/edits.json, the
// whole history (who, when, before, after), appended to and never rewritten in place.
//
// An edit replaces one line's text in one language of one episode. It is applied after the
// translation stage, so everything keyed by that line's text is made again (its synthesis
// and fit, the subtitles, the mix, the videos, QC) and nothing else: every other line's clip
// comes from the artifact store. An edit records the machine translation it was made
// against; when a later run translates the line differently (a new glossary rendering, a
// changed source line) the edit is kept and the change is reported, never applied silently.
//
// Edits come from `dramaloc edit`, or from the language's script file in the outputs
// (OUT/NAME/NAME.LANG.script.json), which the next run compares with what it published
// (manifest.json "scripts") and records as edits.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/line_edits.hpp"
#include "pipeline/manifest.hpp"

namespace dramaloc::series {

struct LineEdit {
    std::string episode;   // file stem
    std::string language;
    int line = 0;          // line id (the same in every language)
    std::string before;    // the text it replaced (what was published)
    std::string after;     // the text from now on; ignored for a revert
    std::string machine;   // the machine translation the edit was made against
    std::string who;
    std::string when;      // UTC, ISO 8601
    std::string via;       // "cli", "script-file", "api"
    bool revert = false;   // back to the machine translation
    bool redub = false;    // not a text change: the line's dub is to be synthesized again (a new take)
    std::string speaker;   // not a text change: the line is this character's from now on (one
                           // edit per language of the series, recorded together)
};


class EditLog {
public:
    explicit EditLog(std::filesystem::path out_dir);
    std::filesystem::path file() const { return out_dir_ / "edits.json"; }

    // Every edit so far, oldest first. InputError naming the file when it is not one
    // dramaloc wrote.
    std::vector<LineEdit> history() const;
    // Appends under an exclusive lock (two people editing at once both keep theirs), written
    // atomically. Throws IoError.
    void append(const std::vector<LineEdit>& edits) const;
    // Appends what `decide` returns, deciding under the same lock, on the history as it is
    // then: a check and its write cannot be split by another writer.
    void append_checked(const std::function<std::vector<LineEdit>(const std::vector<LineEdit>& history)>& decide) const;
    // Runs `work` under the log's lock with the history as it is then (what else must not
    // change while it looks: a review of the lines' revisions).
    void locked(const std::function<void(const std::vector<LineEdit>& history)>& work) const;
    // The edits in force for one episode (the last one of each line; a revert removes it).
    pipeline::EpisodeEdits in_force(const std::string& episode) const;
    // The same, from a history already read.
    static pipeline::EpisodeEdits in_force(const std::vector<LineEdit>& history, const std::string& episode);

private:
    std::filesystem::path out_dir_;
};



// Lines of an episode's published script files that differ from what was published (read
// from its manifest.json), as edits by `who` via "script-file". Nothing when the episode was
// never published or no file changed. InputError naming the file and what is wrong when a
// changed file is not a script (the run stops before overwriting it). Lines added, removed
// or re-timed in the file are named in `warnings`: only a line's text can be edited there.
std::vector<LineEdit> detect_script_file_edits(const std::filesystem::path& episode_folder, const std::string& episode,
                                               const std::string& who, std::vector<std::string>& warnings);

}  // namespace dramaloc::series

namespace dramaloc::series {

// Before an episode runs: what was changed in its script files since it was last published
// is recorded in OUT/edits.json (each edit and warning told to `say`); returns the edits in
// force for it.
pipeline::EpisodeEdits gather_edits(const std::filesystem::path& out_dir, const std::string& episode,
                          const std::function<void(const std::string&)>& say);

// A line's revision: how many edits of it the history holds (0: the machine translation as
// first published). An edit made against an older revision than the line's is refused.
int line_revision(const std::vector<LineEdit>& history, const std::string& episode, const std::string& language, int line);
// Lines of a published script whose revision has moved on since (edits not rendered yet).
int stale_lines(const std::string& episode, const std::string& language, const pipeline::PublishedScript& script,
                const std::vector<LineEdit>& history);
// Every line's revision in an episode, by language (lines never edited are left out).
pipeline::LineRevisions line_revisions(const std::vector<LineEdit>& history, const std::string& episode);

struct LineEditRequest {
    std::string episode, language;
    int line = 0;
    std::string text;     // the new text: one line of UTF-8
    bool revert = false;  // back to the machine translation instead
    bool redub = false;   // synthesize the line's dub again, its text unchanged (text, revert ignored)
    // Give the line to this character (text, revert ignored), in every one of `languages` (the
    // series' targets; `language`, whose revision is checked, among them).
    std::string speaker;
    std::vector<std::string> languages;
    std::string who, via;
    std::optional<int> revision;  // the revision the person saw; none: whatever it is now
    // Record the edits made in the episode's script files first (dramaloc edit). A server
    // does not: it may be publishing those files itself, and `run` records them.
    bool gather_script_file_edits = true;
};

struct LineEditResult {
    enum class Outcome { Recorded, Unchanged, NothingToRevert, Conflict };
    Outcome outcome = Outcome::Recorded;
    LineEdit edit;       // what was recorded, or would have been
    int revision = 0;    // the line's revision now
    std::string text;    // the line's text now
};

// Records one line's edit in OUT/edits.json on top of the script-file edits (gather_edits,
// told to `say`, when the request asks for it): checked and appended under the log's lock.
// UsageError for text that is not one line or a line the script lacks, InputError when the
// episode has no published script in that language yet (or its files are damaged).
LineEditResult record_line_edit(const std::filesystem::path& out_dir, const LineEditRequest& request,
                                const std::function<void(const std::string&)>& say);

}  // namespace dramaloc::series
