#pragma once
// The library (issue 15): every published line of every series in every language, in the job
// store's database beside the jobs: a SQLite file (FTS5 with the library's tokenizer) or
// PostgreSQL (the same tokens as a tsvector, GIN). Both answer the same query with the same
// hits in the same order: series, episode (series order), language, start, line.
//
// One row per line and language, the source language included (its text is the source
// line), so "林氏集团" finds the Chinese lines and "contract" the English ones; every row also
// carries the source line, for showing the two side by side.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dramaloc::search {

struct LibraryLine {
    std::string series;           // the series file's name without extension (as dramaloc serve names it)
    std::string episode;          // its name (ep01)
    int episode_order = 0;        // its place in the series, for ordering hits
    std::string language;         // the hit language
    bool is_source = false;       // the row of the source language
    int line = 0;                 // the line id in the episode's scripts
    std::int64_t start_ms = 0, end_ms = 0;
    std::string speaker;          // the character's id; "" when unknown
    std::string source, text;     // the source line, and the line in `language`
    std::vector<std::string> qc;  // the QC rules it broke (qc.json), e.g. "max_chars_per_second"
    bool edited = false;          // a person's text is in force
    bool approved = false;        // its episode × language has an approval that still stands
    bool operator==(const LibraryLine&) const = default;
};

// The library's order of hits: series, episode in series order, language, start, line (bytes
// compared, as both stores order them).
bool library_order(const LibraryLine& a, const LibraryLine& b);

struct LibraryQuery {
    std::string text;  // what the person typed (search/query.hpp); "" lists by the filters alone
    std::string series, episode, language, character, qc;  // each "" = any
    std::optional<bool> edited, approved;
    std::optional<std::int64_t> from_ms, to_ms;  // lines overlapping [from, to]
    int limit = 50;
    int offset = 0;
};

// UsageError for a query with nothing to find by (no words and no filter; the series counts
// as one), or a limit outside 1–1000 or a negative offset.
void check_query(const LibraryQuery& query);

struct LibraryHit {
    LibraryLine line;
    // Where the query's words are in line.text, as [start, end) byte offsets (search/tokens.hpp):
    // the same on both stores, computed from the library's tokens.
    std::vector<std::pair<std::size_t, std::size_t>> matches;
};

class LibraryIndex {
public:
    virtual ~LibraryIndex() = default;
    LibraryIndex() = default;
    LibraryIndex(const LibraryIndex&) = delete;
    LibraryIndex& operator=(const LibraryIndex&) = delete;

    // Puts `lines` in place of what the index held for that episode, in one transaction (a
    // reader sees the old lines or the new ones).
    virtual void replace_episode(const std::string& series, const std::string& episode, const std::vector<LibraryLine>& lines) = 0;
    // Forgets a series (reindex starts with this), in one transaction with nothing else.
    virtual void remove_series(const std::string& series) = 0;
    // At most query.limit hits from query.offset, in the library's order. Throws UsageError
    // for a query with nothing to find by (no words and no filter).
    virtual std::vector<LibraryHit> search(const LibraryQuery& query) = 0;
    // Rows held (of one series, or all).
    virtual std::int64_t count(const std::string& series = "") = 0;
    virtual std::string describe() const = 0;
};

// The index in the job store at `url` (as open_job_store reads it: postgresql://… or a SQLite
// file), its tables made when missing. Throws like open_job_store. `read_only` (searching): a
// SQLite file is opened read-only and must exist and hold a library (InputError otherwise).
std::unique_ptr<LibraryIndex> open_library_index(const std::string& url, bool read_only = false);

// Where the words of `query` are in `text` ([start, end) bytes), in order: each word's token,
// or each phrase's run of consecutive tokens.
std::vector<std::pair<std::size_t, std::size_t>> find_matches(const std::string& text, const std::string& query);

}  // namespace dramaloc::search
