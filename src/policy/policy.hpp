#pragma once
// Content review by market (issue 15): policy packs, versioned TOML files kept with the series
// (docs/content-review.md), run over an episode's lines in every language they name:
//
//   [pack]
//   name = "th-broadcast"          # how findings and resolutions name it
//   version = "2026.11"            # recorded with every resolution
//   languages = ["th"]             # the languages it applies to; the source language's code
//                                  # runs it on the source script too; none: every language
//   [[term]]                       # a word or words, matched on whole words of the script
//   text = "…"                     # (the library's tokens: Thai by its dictionary, Chinese
//   severity = "block"             #  by characters, accents and Arabic diacritics folded)
//   category = "profanity"         # block | warn | note
//   [[pattern]]                    # an RE2 regular expression on the line's text
//   regex = "(?i)\\bdamn(ed)?\\b"
//   replacement = "darn"           # optional: the suggested line (\\1 for groups)
//   [[glossary]]                   # a required rendering: where the source line has
//   source = "林氏集团"            # `source`, the line in each language must have its
//   en = "Lin Group"               # rendering
//   [[model]]                      # optional: a question for the configured language model
//   question = "Does the line show gambling as desirable?"
//
// Every entry may also give `severity`, `category` and `languages`. A malformed pack is
// refused with its file and line.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dramaloc::policy {

enum class Severity { Block, Warn, Note };
const char* to_string(Severity s);

struct Entry {
    std::string kind;       // term, pattern, glossary, model
    std::string text;       // the term, the regex, the glossary's source term, the question
    std::string replacement;                         // patterns
    std::map<std::string, std::string> renderings;   // glossary: language -> required rendering
    Severity severity = Severity::Warn;
    std::string category;
    std::vector<std::string> languages;  // empty: the pack's
    int line = 0;                        // where it is in the pack's file
};

struct Pack {
    std::filesystem::path file;
    std::string name, version;
    std::vector<std::string> languages;  // empty: every language
    std::vector<Entry> entries;
    bool applies_to(const Entry& e, const std::string& language) const;
};

// Reads a pack. ConfigError "FILE:LINE: what is wrong" for a pack that is not TOML, lacks
// [pack] name or version, or has an entry without its text, an unknown severity, a term
// with no words, a pattern RE2 cannot compile, a key it does not know.
Pack load_pack(const std::filesystem::path& file);

// One line of an episode in one language, as the review sees it.
struct ContentLine {
    std::string episode, language;
    bool is_source = false;
    int line = 0;
    std::int64_t start_ms = 0, end_ms = 0;
    std::string speaker, text, source;
};

struct Finding {
    std::string id;  // stable while the line's text and the pack entry stand: resolutions name it
    std::string pack, pack_version, kind, category;
    Severity severity = Severity::Warn;
    std::string episode, language;
    int line = 0;
    std::int64_t start_ms = 0, end_ms = 0;
    std::string speaker, text;
    std::size_t match_start = 0, match_end = 0;  // bytes of text ([0, 0) for a whole line)
    std::string suggestion;                      // patterns with a replacement: the line as it would read
    std::string reason;                          // what the rule found, for people
    std::string rule;                            // FILE:LINE of the entry
};

// A language model's answer to a model rule: for the lines asked about (id -> text), the
// ones it flags, with a category and a reason. Supplied by the caller (engines/), so that the
// review can run without one (model rules are then skipped and said so).
struct ModelFlag {
    int line = 0;
    std::string category, reason;
};
using ModelAsker = std::function<std::vector<ModelFlag>(const std::string& question, const std::string& language,
                                                        const std::vector<std::pair<int, std::string>>& lines)>;

// The packs compiled once (terms indexed by their first word, patterns as one RE2 set per
// pack), then run over any number of episodes from any number of threads.
class ContentReviewer {
public:
    // `glossary`: the series' own required renderings ([glossary] of the series file) as one
    // more pack; may be empty.
    explicit ContentReviewer(std::vector<Pack> packs, std::vector<Entry> glossary = {});
    ~ContentReviewer();
    ContentReviewer(const ContentReviewer&) = delete;
    ContentReviewer& operator=(const ContentReviewer&) = delete;

    // The findings on `lines` (one episode, any languages), in line order. Model rules run only
    // with `ask`; `skipped` (when given) counts those that did not.
    std::vector<Finding> review(const std::vector<ContentLine>& lines, const ModelAsker& ask = {}, int* skipped = nullptr) const;
    const std::vector<Pack>& packs() const;
    std::size_t entries() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dramaloc::policy
