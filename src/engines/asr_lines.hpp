#pragma once
// From recognised words to script lines: utterances split at pauses and length limits,
// truecased and punctuated well enough for rule-based translation (a question mark when
// the line opens with a question word or an auxiliary, else a full stop). Also the word
// error rate used by tests and bench/. Pure functions; safe from any thread.
#include <cstddef>
#include <string_view>
#include <vector>

#include "core/script.hpp"
#include "engines/speakers.hpp"
#include "engines/vad.hpp"

namespace dramaloc::engines {

struct LinePolicy {
    TimeMs split_pause_ms = 350;    // a silence this long between words ends a line
    TimeMs max_line_ms = 6000;      // longer utterances are split at their widest pause
    std::size_t max_line_words = 20;
    // A line starting (ending) in a stretch of speech takes that stretch's start (end) when it
    // is the first (last) line in it and the edge is at most this far: a recogniser that
    // drops a line's first words must not start its dub late.
    TimeMs snap_to_speech_ms = 1500;
};

// Lines with ids 1..N, origin Asr: text is the words joined, truecased and punctuated,
// and each word carries the same correction (times kept as recognised). Words must be in
// time order; empty words are skipped. With the episode's speech regions (VAD), a pause
// between two regions also ends a line (under music a recogniser's words can run across
// a pause), and line edges move onto the edges of their regions (snap_to_speech_ms).
std::vector<Line> words_to_lines(const std::vector<Word>& words, const LinePolicy& policy = {});
std::vector<Line> words_to_lines(const std::vector<Word>& words, const std::vector<SpeechRegion>& speech,
                                 const LinePolicy& policy = {});

// `line` cut at each turn (engines/speakers.hpp, in order): each part's text rebuilt from
// its words, a part ending where its voice stops and the next starting where the next voice
// starts, the first part starting with the line and the last ending with it. Ids are 0.
std::vector<Line> split_line_at_turns(const Line& line, const std::vector<VoiceTurn>& turns);

// "where are you going" -> "Where are you going?"; "i think i'm late" -> "I think I'm late.".
// Text already carrying mixed case or final punctuation keeps it.
std::string punctuate_utterance(const std::vector<std::string_view>& words);

struct WordErrors {
    std::size_t substitutions = 0;
    std::size_t deletions = 0;
    std::size_t insertions = 0;
    std::size_t reference_words = 0;
    std::size_t errors() const { return substitutions + deletions + insertions; }
    // errors / reference words; for an empty reference 0 when nothing was heard, else 1.
    double rate() const;
    WordErrors& operator+=(const WordErrors& other);
};

// Word-level Levenshtein alignment after normalisation (ASCII lower case, punctuation
// around words removed, apostrophes inside words kept, titles spelled out: "Mr." = "mister"). Sum WordErrors over a corpus and
// take rate() for a corpus WER.
WordErrors count_word_errors(std::string_view reference, std::string_view hypothesis);
double word_error_rate(std::string_view reference, std::string_view hypothesis);

}  // namespace dramaloc::engines
