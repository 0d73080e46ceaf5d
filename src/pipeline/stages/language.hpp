#pragma once
// The language job's stages (pipeline/stage_graph.cpp, "job language"), one unit each, in the
// graph's order; pipeline/language_stages.cpp composes them into localize_language. Each takes
// what it reads and returns what it made, typed; its artifact files are written and read in
// its own file (stages/NAME.cpp), nowhere else.
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/script.hpp"
#include "dub/fit.hpp"
#include "dub/mix.hpp"
#include "engines/engine_settings.hpp"
#include "engines/translate.hpp"
#include "engines/tts.hpp"
#include "media/audio.hpp"
#include "pipeline/line_edits.hpp"
#include "pipeline/qc.hpp"
#include "pipeline/stage.hpp"
#include "pipeline/stages/source.hpp"
#include "subtitles/rules.hpp"

namespace dramaloc::pipeline {

// Dubbed clips are kept this far apart: the room a clip has after its line (the language walk)
// and how far a clip moves when the one before overflowed into it (mix).
constexpr TimeMs kClipGapMs = 40;

// translate (stages/translate.cpp): every line translated, keeping ids, times and speakers.
struct Translation {
    std::string key;
    Script script;
};
struct TranslateRequest {
    std::string language;
    const Series* series = nullptr;        // glossary and synopsis, part of the key
    double max_untranslated_share = 0.05;  // more left as it was fails the language
};
Translation translate(StageContext& context, const SourceScript& source, engines::Translator& translator, const TranslateRequest& request);
// EngineError when more than the request's share of the lines came back as they were.
void require_translated(const Script& source, const std::vector<std::string>& translated, engines::Translator& translator,
                        const TranslateRequest& request);
// A line whose translation is its source text (apertium passes unknown sentences through).
bool looks_untranslated(const std::string& source, const std::string& target, const std::string& from, const std::string& to);

// People's edits (series/edit_log.hpp) over a translation (stages/spoken_script.cpp): their
// text replaces the machine's, a line given to another character changes speaker.
struct AppliedEdits {
    std::vector<bool> edited;            // per line: a person's text
    std::map<int, int> takes;            // line id -> the take a person asked for by re-dubbing it
    std::vector<QcFinding> conflicts;    // edits that no longer apply as made
};
AppliedEdits apply_edits(Script& script, const LanguageEdits* edits);

// synthesize (stages/synthesize.cpp): who speaks with which voice, and one line spoken.
struct VoiceCast {
    std::string language;
    std::unique_ptr<engines::SpeechSynthesizer> tts;
    std::map<std::string, std::string> voices;  // character id -> voice ("" for anyone else)
    struct Reference {
        std::string audio, text, hash;
    };
    std::map<std::string, Reference> references;  // a cloning synthesizer hears these
};
// The episode's characters keep their voices; a series character a person gave a line to,
// who does not speak in this episode, gets one after them.
VoiceCast cast_voices(StageContext& context, const std::vector<Character>& episode_characters, const Script& script,
                      std::initializer_list<const std::vector<Character>*> known, const std::string& language,
                      const engines::EngineSettings& tts);
struct Clip {
    std::string key;
    std::filesystem::path dir;  // clip.wav
    std::string text;           // what was spoken
};
// `take` > 0: a person asked for a new take, which is a new key.
Clip synthesize_line(StageContext& context, const VoiceCast& cast, const Line& line, const std::string& text, int take,
                     const std::string& scope);

// fit (stages/fit.cpp): the clip stretched or squeezed into its slot.
struct FitReport {
    double speed = 1.0;
    TimeMs overflow_ms = 0;
    TimeMs borrowed_ms = 0;
    bool fits = true;
    nlohmann::json to_json() const;  // fit.json
    static FitReport from_json(const nlohmann::json& j);
};
struct FittedClip {
    std::string key;
    std::filesystem::path wav;  // fitted.wav: read by the mix when it is made, not before
    TimeMs duration_ms = 0;     // of fitted.wav (from its header)
    FitReport report;
};
FittedClip fit_clip(StageContext& context, const Clip& clip, const Line& line, TimeMs available_after, const dub::FitBounds& bounds,
                    const std::string& scope);

// shorten (stages/shorten.cpp): a line whose dub does not fit even at the speed bound,
// shortened by the translator and spoken and fitted again, at most `rounds` times.
struct LineDub {  // one line's dub, as it stands after each stage of the line
    Clip clip;
    FittedClip fitted;
    std::string shorten_key;  // the last shortening's key, when there was one
    std::vector<ShortenRound> rounds;
};
struct Shortener {
    engines::Translator& translator;
    std::string translate_key;  // part of every shortening's key
    std::string language;
    int rounds = 0;             // 0 when the translator cannot shorten
};
// `room_ms`: the line's slot and the silence after it. `remake` speaks and fits a shorter
// text, leaving the result in `dub`.
void shorten_until_fits(StageContext& context, const Shortener& shortener, LineDub& dub, const Line& line, TimeMs room_ms,
                        const std::string& scope, const std::function<void(const std::string&)>& remake);

// spoken-script (stages/spoken_script.cpp): the translation with people's edits and the
// shortened lines; returns its key (key only).
std::string spoken_script(Script& script, const std::string& translate_key, const AppliedEdits& edits, const std::vector<LineDub>& dubs);

// subtitles (stages/subtitles.cpp): the script segmented into events by the language's rules.
struct SubtitleTrack {
    std::string key;
    std::vector<SubtitleEvent> events;
};
SubtitleTrack segment_subtitles(StageContext& context, const Script& script, const std::string& script_key,
                                const subtitles::SubtitleRules& rules, FrameRate fps);

// mix (stages/mix.cpp): each clip at its line's start, pushed later only if the previous one
// overflowed into it, over the ducked background; loudness normalised.
struct MixReport {
    std::optional<double> integrated_lufs;  // none for silence
    std::optional<double> true_peak_dbtp;
    double gain_db = 0;
    bool limited = false;
    nlohmann::json to_json() const;  // mix.json
    static MixReport from_json(const nlohmann::json& j);
};
struct Dub {
    std::string key;
    std::filesystem::path wav;   // 48 kHz stereo 16-bit
    std::optional<dub::StemFiles> stems;  // [mix] stems: the M&E and dialogue stems beside it
    MixReport report;
    std::vector<TimeMs> starts;  // per line, where its clip was placed
    std::vector<TimeMs> shifted; // per line, how much later than its line because of the one before
};
struct MixInputs {
    const DecodedAudio& audio;  // the original soundtrack
    const SpeechRegions& speech;  // ducked under
    const std::optional<std::filesystem::path>& background_stem;
    const dub::MixOptions& options;
};
Dub mix_dub(StageContext& context, const std::vector<Line>& lines, const std::vector<LineDub>& dubs, const MixInputs& inputs,
            const std::string& language);

// encode-dub (stages/encode_dub.cpp): the dub encoded once (AAC); every video copies it.
std::filesystem::path encode_dub(StageContext& context, const Dub& dub, const std::string& language);

}  // namespace dramaloc::pipeline
