#include "policy/policy.hpp"

#include <re2/re2.h>
#include <re2/set.h>
#include <toml++/toml.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "core/config_schema.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "search/tokens.hpp"

namespace dramaloc::policy {
namespace fs = std::filesystem;

const char* to_string(Severity s) {
    switch (s) {
        case Severity::Block: return "block";
        case Severity::Warn: return "warn";
        case Severity::Note: return "note";
    }
    return "warn";
}

bool Pack::applies_to(const Entry& e, const std::string& language) const {
    const auto& list = e.languages.empty() ? languages : e.languages;
    return list.empty() || std::find(list.begin(), list.end(), language) != list.end();
}

namespace {

[[noreturn]] void malformed(const fs::path& file, int line, const std::string& what) {
    throw ConfigError(file.string() + ":" + std::to_string(line) + ": " + what + " (docs/content-review.md)");
}

// A list of strings (as pack_schema checked it).
std::vector<std::string> strings_at(const toml::table& t, const char* key) {
    std::vector<std::string> out;
    if (const auto* array = t[key].as_array())
        for (const auto& item : *array) out.push_back(item.value_or(std::string()));
    return out;
}

// What a pack may hold: keys and tables it does not know are refused with the file and line
// (and the nearest known name) by the same check as every other file dramaloc reads.
const ConfigSchema& pack_schema() {
    // Severity is a string here; read_entry says which ones there are.
    const auto common = [](std::vector<ConfigKey> keys) {
        for (auto* k : {"severity", "category"}) keys.push_back(ConfigKey::text(k));
        keys.push_back(ConfigKey::strings("languages"));
        return keys;
    };
    static const ConfigSchema schema(
        "policy pack",
        {{"pack", {ConfigKey::text("name"), ConfigKey::text("version"), ConfigKey::strings("languages")}},
         {"term", common({ConfigKey::text("text")}), {}, true},
         {"pattern", common({ConfigKey::text("regex"), ConfigKey::text("replacement")}), {}, true},
         {"glossary", common({ConfigKey::text("source")}), ConfigType::String, true, {}, language_names()},  // and one key per language
         {"model", common({ConfigKey::text("question")}), {}, true}},
        "docs/content-review.md");
    return schema;
}

Entry read_entry(const std::string& kind, const toml::table& t, const fs::path& file) {
    Entry e;
    e.kind = kind;
    e.line = static_cast<int>(t.source().begin.line);
    static const std::set<std::string> common = {"severity", "category", "languages"};
    const std::string text_key = kind == "term" ? "text" : kind == "pattern" ? "regex" : kind == "glossary" ? "source" : "question";
    // Keys and types were checked with the pack (pack_schema); a glossary rule's other keys are
    // the rendering required in each language.
    if (kind == "glossary")
        for (const auto& [key, value] : t) {
            const std::string k(key.str());
            if (k == text_key || common.count(k)) continue;
            const auto rendering = value.value<std::string>();
            if (!rendering || rendering->empty())
                malformed(file, static_cast<int>(value.source().begin.line), "[[glossary]] " + k + " is the rendering required in " + k + " (a string)");
            e.renderings[k] = *rendering;
        }
    const auto text = t[text_key].value<std::string>();
    if (!text || text->empty()) malformed(file, e.line, "[[" + kind + "]] needs " + text_key + " (a non-empty string)");
    e.text = *text;
    if (const auto* node = t.get("severity")) {
        const auto s = node->value<std::string>();
        if (s == "block") e.severity = Severity::Block;
        else if (s == "warn") e.severity = Severity::Warn;
        else if (s == "note") e.severity = Severity::Note;
        else malformed(file, static_cast<int>(node->source().begin.line), "severity is \"block\", \"warn\" or \"note\"");
    }
    e.category = t["category"].value_or(std::string(kind == "glossary" ? "glossary" : ""));
    e.languages = strings_at(t, "languages");
    e.replacement = t["replacement"].value_or(std::string());
    if (kind == "model" && e.severity == Severity::Block)
        malformed(file, e.line, "a [[model]] rule warns or notes, never blocks: its answers come from a language model on each review, and an "
                                "approval must not wait on one (use a term or a pattern to block)");
    if (kind == "term" && search::tokenize(e.text).empty()) malformed(file, e.line, "term \"" + e.text + "\" has no words to match");
    if (kind == "glossary" && e.renderings.empty())
        malformed(file, e.line, "[[glossary]] " + e.text + " names no rendering: add one key per language, e.g. en = \"Lin Group\"");
    if (kind == "pattern") {
        RE2 re(e.text, RE2::Quiet);
        if (!re.ok()) malformed(file, e.line, "regex " + e.text + ": " + re.error());
        std::string why;
        if (!e.replacement.empty() && !re.CheckRewriteString(e.replacement, &why)) malformed(file, e.line, "replacement: " + why);
    }
    return e;
}

}  // namespace

Pack load_pack(const fs::path& file) {
    Pack pack;
    pack.file = file;
    toml::table doc;
    try {
        doc = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        if (!fs::exists(file)) throw InputError("policy pack " + file.string() + " does not exist");
        malformed(file, static_cast<int>(e.source().begin.line), std::string(e.description()));
    }
    pack_schema().check(doc, file.string());
    const auto* head = doc["pack"].as_table();
    if (!head) malformed(file, 1, "a policy pack starts with a [pack] table: name, version, languages");
    const int head_line = static_cast<int>(head->source().begin.line);
    pack.name = (*head)["name"].value_or(std::string());
    pack.version = (*head)["version"].value_or(std::string());
    if (pack.name.empty()) malformed(file, head_line, "[pack] needs a name (a string)");
    if (pack.version.empty()) malformed(file, head_line, "[pack] needs a version (a string): resolutions record it");
    pack.languages = strings_at(*head, "languages");
    for (const auto& [key, value] : doc) {
        const std::string k(key.str());
        if (k == "pack") continue;
        for (const auto& item : *value.as_array()) pack.entries.push_back(read_entry(k, *item.as_table(), file));  // as checked
    }
    return pack;
}

struct ContentReviewer::Impl {
    std::vector<Pack> packs;
    struct Term {
        std::size_t pack, entry;
        std::vector<std::string> words;  // folded tokens
    };
    std::vector<Term> terms;
    std::unordered_map<std::string, std::vector<std::size_t>> terms_by_first_word;
    struct Patterns {
        std::size_t pack;
        std::vector<std::size_t> entries;             // set index -> entry
        std::vector<std::unique_ptr<RE2>> compiled;   // set index -> its own RE2 (the match's place, the rewrite)
        std::unique_ptr<RE2::Set> set;
    };
    std::vector<Patterns> patterns;

    std::string rule(std::size_t p, const Entry& e) const { return packs[p].file.string() + ":" + std::to_string(e.line); }

    Finding finding(std::size_t p, const Entry& e, const ContentLine& l) const {
        Finding f;
        f.pack = packs[p].name;
        f.pack_version = packs[p].version;
        f.kind = e.kind;
        f.category = e.category;
        f.severity = e.severity;
        f.episode = l.episode;
        f.language = l.language;
        f.line = l.line;
        f.start_ms = l.start_ms;
        f.end_ms = l.end_ms;
        f.speaker = l.speaker;
        f.text = l.text;
        f.rule = rule(p, e);
        return f;
    }
};

ContentReviewer::ContentReviewer(std::vector<Pack> packs, std::vector<Entry> glossary) : impl_(std::make_unique<Impl>()) {
    if (!glossary.empty()) {
        Pack series;
        series.file = "series glossary";
        series.name = "series-glossary";
        series.version = "series file";
        series.entries = std::move(glossary);
        packs.push_back(std::move(series));
    }
    impl_->packs = std::move(packs);
    for (std::size_t p = 0; p < impl_->packs.size(); ++p) {
        const auto& pack = impl_->packs[p];
        Impl::Patterns group;
        group.pack = p;
        RE2::Options options;
        options.set_log_errors(false);
        options.set_max_mem(std::int64_t(512) << 20);  // ten thousand patterns in one DFA
        group.set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
        for (std::size_t i = 0; i < pack.entries.size(); ++i) {
            const auto& e = pack.entries[i];
            if (e.kind == "term") {
                Impl::Term t{p, i, {}};
                for (auto& token : search::tokenize(e.text)) t.words.push_back(std::move(token.text));
                impl_->terms_by_first_word[t.words.front()].push_back(impl_->terms.size());
                impl_->terms.push_back(std::move(t));
            } else if (e.kind == "pattern") {
                std::string why;
                if (group.set->Add(e.text, &why) < 0) throw ConfigError(impl_->rule(p, e) + ": regex " + e.text + ": " + why);
                group.entries.push_back(i);
                group.compiled.push_back(std::make_unique<RE2>(e.text, RE2::Quiet));
            }
        }
        if (group.entries.empty()) continue;
        if (!group.set->Compile()) throw ConfigError(pack.file.string() + ": its patterns need more memory than RE2 is given; split the pack");
        impl_->patterns.push_back(std::move(group));
    }
}

ContentReviewer::~ContentReviewer() = default;
const std::vector<Pack>& ContentReviewer::packs() const { return impl_->packs; }
std::size_t ContentReviewer::entries() const {
    std::size_t n = 0;
    for (const auto& p : impl_->packs) n += p.entries.size();
    return n;
}

namespace {

using search::words_at;

bool contains_words(const std::vector<search::Token>& tokens, const std::vector<std::string>& words) {
    for (std::size_t i = 0; i < tokens.size(); ++i)
        if (words_at(tokens, i, words)) return true;
    return false;
}

std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> out;
    for (auto& t : search::tokenize(text)) out.push_back(std::move(t.text));
    return out;
}

}  // namespace

std::vector<Finding> ContentReviewer::review(const std::vector<ContentLine>& lines, const ModelAsker& ask, int* skipped) const {
    const Impl& m = *impl_;
    std::vector<Finding> out;
    const auto keep = [&](Finding f, const std::string& what) {
        // The entry's content, not its place in the pack: an entry added above keeps the ids.
        f.id = hash_hex(f.pack + "\n" + f.kind + "\n" + what + "\n" + f.episode + "\n" + f.language + "\n" + std::to_string(f.line) + "\n" + f.text +
                        "\n" + std::to_string(f.match_start))
                   .substr(0, 16);
        out.push_back(std::move(f));
    };
    for (const auto& l : lines) {
        const auto tokens = search::tokenize(l.text);
        // Terms: each token is looked up as a term's first word.
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const auto candidates = m.terms_by_first_word.find(tokens[i].text);
            if (candidates == m.terms_by_first_word.end()) continue;
            for (const std::size_t t : candidates->second) {
                const auto& term = m.terms[t];
                const auto& pack = m.packs[term.pack];
                const auto& e = pack.entries[term.entry];
                if (!pack.applies_to(e, l.language)) continue;
                if (!words_at(tokens, i, term.words)) continue;
                Finding f = m.finding(term.pack, e, l);
                f.match_start = tokens[i].start;
                f.match_end = tokens[i + term.words.size() - 1].end;
                f.reason = "\"" + l.text.substr(f.match_start, f.match_end - f.match_start) + "\" is on the " + pack.name + " list" +
                           (e.category.empty() ? "" : " (" + e.category + ")");
                keep(std::move(f), e.text);
            }
        }
        // Patterns: one pass of each pack's set, then the matching patterns alone for their place.
        for (const auto& group : m.patterns) {
            std::vector<int> hit;
            RE2::Set::ErrorInfo error{};
            if (!group.set->Match(l.text, &hit, &error)) {
                if (error.kind != RE2::Set::kNoError)
                    throw EngineError(m.packs[group.pack].file.string() + ": its patterns could not be run on a line (RE2 ran out of memory); split the pack");
                continue;
            }
            std::sort(hit.begin(), hit.end());
            const auto& pack = m.packs[group.pack];
            for (const int h : hit) {
                const auto& e = pack.entries[group.entries[static_cast<std::size_t>(h)]];
                if (!pack.applies_to(e, l.language)) continue;
                const RE2& re = *group.compiled[static_cast<std::size_t>(h)];
                re2::StringPiece match;
                if (!re.Match(l.text, 0, l.text.size(), RE2::UNANCHORED, &match, 1)) continue;
                Finding f = m.finding(group.pack, e, l);
                f.match_start = static_cast<std::size_t>(match.data() - l.text.data());
                f.match_end = f.match_start + match.size();
                if (!e.replacement.empty()) {
                    f.suggestion = l.text;
                    RE2::GlobalReplace(&f.suggestion, re, e.replacement);
                }
                f.reason = "\"" + std::string(match) + "\" matches " + e.text + (e.category.empty() ? "" : " (" + e.category + ")") +
                           (f.suggestion.empty() ? "" : "; suggested: " + f.suggestion);
                keep(std::move(f), e.text);
            }
        }
        // Glossary: the source line has the term, the line lacks its required rendering.
        if (l.is_source || l.source.empty()) continue;
        std::vector<search::Token> source_tokens;
        bool source_read = false;
        for (std::size_t p = 0; p < m.packs.size(); ++p)
            for (const auto& e : m.packs[p].entries) {
                if (e.kind != "glossary" || !m.packs[p].applies_to(e, l.language)) continue;
                const auto rendering = e.renderings.find(l.language);
                if (rendering == e.renderings.end()) continue;
                if (!source_read) source_tokens = search::tokenize(l.source), source_read = true;
                if (!contains_words(source_tokens, words_of(e.text)) || contains_words(tokens, words_of(rendering->second))) continue;
                Finding f = m.finding(p, e, l);
                f.reason = "the source has " + e.text + ", whose required rendering \"" + rendering->second + "\" is not in the line";
                keep(std::move(f), e.text);
            }
    }
    // Model rules: each question once per language, with that language's lines.
    for (std::size_t p = 0; p < m.packs.size(); ++p)
        for (const auto& e : m.packs[p].entries) {
            if (e.kind != "model") continue;
            std::map<std::string, std::vector<const ContentLine*>> by_language;
            for (const auto& l : lines)
                if (m.packs[p].applies_to(e, l.language)) by_language[l.language].push_back(&l);
            for (const auto& [language, group] : by_language) {
                if (!ask) {
                    if (skipped) ++*skipped;
                    continue;
                }
                std::vector<std::pair<int, std::string>> asked;
                for (const auto* l : group) asked.emplace_back(l->line, l->text);
                for (const auto& flag : ask(e.text, language, asked)) {
                    const auto it = std::find_if(group.begin(), group.end(), [&](const ContentLine* l) { return l->line == flag.line; });
                    if (it == group.end()) continue;  // a line it was not asked about
                    Finding f = m.finding(p, e, **it);
                    if (!flag.category.empty()) f.category = flag.category;
                    f.reason = flag.reason.empty() ? "the language model flagged it: " + e.text : flag.reason;
                    keep(std::move(f), e.text);
                }
            }
        }
    std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
        return std::tie(a.episode, a.start_ms, a.line, a.language, a.match_start) < std::tie(b.episode, b.start_ms, b.line, b.language, b.match_start);
    });
    return out;
}

}  // namespace dramaloc::policy
