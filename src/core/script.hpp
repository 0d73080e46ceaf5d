#pragma once
// The data model of dramaloc (docs/design.md §3). Plain values, no I/O.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace dramaloc {

struct Word {
    std::string text;  // UTF-8
    TimeMs start = 0;
    TimeMs end = 0;
    float confidence = 1.0f;  // 0..1

    bool operator==(const Word&) const = default;
};

// Where a line of a source script came from.
enum class LineOrigin { Asr, Ocr, Import, Translation, Manual };
const char* to_string(LineOrigin origin) noexcept;
std::optional<LineOrigin> line_origin_from_string(std::string_view s) noexcept;

// One spoken line. IDs are stable across languages: target line N translates source line N.
struct Line {
    int id = 0;
    TimeMs start = 0;
    TimeMs end = 0;
    std::string speaker;  // character id, empty when unknown
    std::string text;     // UTF-8
    std::vector<Word> words;
    LineOrigin origin = LineOrigin::Import;

    TimeMs duration() const { return end - start; }
    bool operator==(const Line&) const = default;
};

// The ordered lines of one episode in one language (BCP-47 tag such as "en", "zh", "pt-BR").
struct Script {
    std::string language;
    std::vector<Line> lines;

    const Line* find(int id) const;
    bool operator==(const Script&) const = default;
};

// One subtitle on screen: up to a few lines of text shown from start to end.
struct SubtitleEvent {
    int id = 0;       // 1-based display order; line id of the script line it came from when known
    TimeMs start = 0;
    TimeMs end = 0;
    std::vector<std::string> lines;  // display lines, UTF-8, without line-break characters
    std::string style;               // ASS style name; empty = default
    std::string speaker;

    TimeMs duration() const { return end - start; }
    std::string joined(std::string_view separator = "\n") const;
    bool operator==(const SubtitleEvent&) const = default;
};

enum class VoiceRegister { Unknown, Low, High };

// A character of a series; the id is series-wide.
struct Character {
    std::string id;
    std::string name;
    VoiceRegister voice_register = VoiceRegister::Unknown;
    float median_pitch_hz = 0.0f;
    std::map<std::string, std::string> voice_per_language;  // language -> engine voice name
    // Voice cloning: a WAV of this character's cleanest speech (3-10 s) and what is said in it.
    // Cut once, in the episode the character is first heard, and kept with the series, so the
    // character sounds the same in every episode. Empty when there is none.
    std::string reference_audio;  // file path
    std::string reference_text;

    bool operator==(const Character&) const = default;
};

// Fills what `known` lacks (pitch, register, name, voices, voice reference) from what was
// learnt of the same character elsewhere; never overwrites a value `known` has.
void fill_in(Character& known, const Character& learnt);

struct GlossaryEntry {
    std::string source;                                  // term as it appears in the source language
    std::map<std::string, std::string> rendering;        // language -> required rendering
    std::string note;

    bool operator==(const GlossaryEntry&) const = default;
};

struct Series {
    std::string title;
    std::string source_language;
    std::vector<std::string> target_languages;
    std::vector<std::string> episodes;  // paths
    std::string synopsis;
    std::vector<GlossaryEntry> glossary;
    std::vector<Character> cast;

    const Character* character(std::string_view id) const;
};

}  // namespace dramaloc
