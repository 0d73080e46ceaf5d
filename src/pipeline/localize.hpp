#pragma once
// `dramaloc localize`: one episode in, subtitled and dubbed versions out, as a graph of
// stages over the artifact store (docs/pipeline.md).
//
//   decode (once) ─► speech regions ─► transcribe ─► speakers ─► source script
//   per target language, in parallel:
//     translate ─► segment (subtitles) ─► per line: synthesize ─► fit ─► mix ─► QC
//   mux (video copied + dubs + subtitle tracks), burn-in, manifest
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/script.hpp"
#include "dub/fit.hpp"
#include "engines/engine_settings.hpp"
#include "dub/mix.hpp"
#include "hardsubs/band.hpp"
#include "hardsubs/remove.hpp"
#include "pipeline/line_edits.hpp"
#include "pipeline/episode_facts.hpp"

namespace dramaloc {
class Config;
}

namespace dramaloc::pipeline {

// Where the source script comes from (--source).
//   asr     speech recognition of the soundtrack
//   ocr     the burned-in subtitles (text and timing), speakers from the soundtrack if any
//   both    text from the burned-in subtitles, timing refined and speakers from the speech
//   auto    both when a subtitle band is found, else asr (the default)
//   import  a subtitle file (srt:FILE; any of .srt .vtt .ass .ttml)
enum class SourceMode { Auto, Asr, Ocr, Both, Import };
const char* to_string(SourceMode mode) noexcept;

struct SourceChoice {
    SourceMode mode = SourceMode::Auto;
    std::filesystem::path import_file;  // for Import
};
// "auto", "asr", "ocr", "both", "srt:FILE"; throws InputError otherwise.
SourceChoice parse_source_choice(const std::string& text);

// A run's options, one part per concern, each built once from the series file (or --config)
// and the command line (apply_config, then the command's flags): what the source job's
// stages need, what a language's, what the episode's renders, which engines, and the run.

// The source job's stages (pipeline/stages/source.hpp).
struct SourceOptions {
    std::string language = "en";                          // spoken in the episode
    SourceChoice choice;                                   // --source, --script
    std::optional<hardsubs::SubtitleBand> subtitle_band;   // --subtitle-band; default: detected
    // The series' characters known so far ([cast.*] of the config, then every character met in
    // earlier episodes of the run): the same voice gets the same id, name and dub voice.
    std::vector<Character> known_characters;
    // Series-wide speaker ids (the factory's phase 2, jobs/factory.hpp): the ids this episode's
    // voices got knowing only `known_characters` -> the series' ids, and the series' characters
    // (names, voices, references). Empty: the episode keeps its own ids.
    std::map<std::string, std::string> speaker_map;
    std::vector<Character> series_characters;
};

// Each target language's stages (pipeline/stages/language.hpp).
struct LanguageOptions {
    std::vector<std::string> targets;              // empty: the source script and its subtitles only
    std::shared_ptr<const Series> series;          // glossary and synopsis for the translator (may be null)
    EpisodeEdits edits;                            // people's edits in force on this episode's lines, by language
    LineRevisions revisions;                       // and each line's revision (its edits so far), published with it
    dub::FitBounds fit;
    dub::MixOptions mix;
    std::optional<std::filesystem::path> background_stem;  // music-and-effects stem replacing ducking
    // A language with more than this share of its lines left untranslated fails: its outputs
    // are not published ([qc] max_untranslated).
    double max_untranslated_share = 0.05;
    std::shared_ptr<const Config> config;          // [subtitles.rules.*] overrides, when given
};

// The episode's renders (pipeline/stages/episode.hpp).
struct RenderOptions {
    std::vector<std::string> burn_in;              // languages; each a target (or the source)
    bool remove_hardsubs = false;                  // clean the burned-in subtitles out of the burned-in videos
    bool textless = false;                         // also publish the picture cleaned of them, nothing drawn (EP.textless.mp4)
    hardsubs::RemovalOptions removal;
};

// The engine of each stage family ([engines.*]); embedded ones by their backend's name.
struct EngineOptions {
    std::string vad = "spectral";
    std::string speakers = "pitch";
    std::string ocr = "tesseract";
    engines::EngineSettings asr = engines::embedded_engine("pocketsphinx");
    engines::EngineSettings translate = engines::embedded_engine("apertium");
    engines::EngineSettings tts = engines::embedded_engine("espeak");
};

// Where the run keeps and writes things, and how it behaves.
struct RunOptions {
    std::filesystem::path out_dir;                 // outputs go to out_dir/NAME/
    std::filesystem::path store_dir;               // artifact store; default out_dir/.dramaloc-store
    std::string artifacts_url;                     // s3://BUCKET/PREFIX: the store there, store_dir its local cache
    int jobs = 0;                                  // 0 = number of cores
    // False: every stage runs (and is kept in the store) but nothing is muxed or published
    // under OUT/NAME/ (the factory's phases 1 and 3; phase 4 publishes).
    bool publish = true;
    // True: a target language that fails ends the run with its error (the factory's language
    // job, so the job store retries an engine's or the machine's failure with backoff).
    // False: the language is reported in failed_languages and the others go on.
    bool language_failure_ends_run = false;
    // Called just before anything is written under OUT/NAME/; throws to publish nothing (the
    // factory: a worker that no longer holds its job's lease).
    std::function<void()> before_publish;
    // Called with a short description of what starts ("transcribe", "es: synthesize 12 lines").
    std::function<void(const std::string&)> on_stage;
};

struct LocalizeOptions {
    SourceOptions source;
    LanguageOptions languages;
    RenderOptions render;
    EngineOptions engines;
    RunOptions run;
    // What the factory's source job learnt of the episode file (probe and content hash), for
    // the episode's later jobs: used instead of opening the file while it is unchanged.
    std::optional<EpisodeFacts> facts;
};

// Reads [engines.*], [fit], [mix], [qc], [hardsubs], [cast.*], [glossary.*] and [series]
// synopsis from a config file read with settings_file_schema() or series_file_schema()
// (docs/configuration.md). Throws ConfigError with the file and line for keys that do not go
// together and for files they name that are not there.

void apply_config(LocalizeOptions& options, const Config& config);

// The engines of a run, by stage, in the order of the pipeline (vad, asr, ocr, speakers,
// translate, tts): what a run prints once (engines::describe), what its manifest records and
// what the review page shows.
std::vector<std::pair<std::string, engines::EngineSettings>> run_engines(const LocalizeOptions& options);

// Fails before any work when a pair, a voice or an engine is missing (EngineError naming
// the Debian package), or a language is unknown (InputError). With `episode_files` it also
// checks the imported script and the background stem; a series with one of each per episode
// leaves those to each episode.
void validate(const LocalizeOptions& options, bool episode_files = true);
// The imported script and the background stem of one episode: readable, and the script
// well-formed (InputError naming the file).
void validate_episode_files(const LocalizeOptions& options);

// What QC says of one target language of one episode (qc.json "summary").
struct LanguageQc {
    int lines = 0;
    int untranslated = 0;
    int over_reading_speed = 0;  // subtitle events over the language's characters per second
    int fit_overflows = 0;       // dubs that run past their slot even at the speed bound
    std::optional<double> integrated_lufs;  // of the dub mix; none for silence
};

struct EpisodeOutputs {
    std::filesystem::path folder;
    std::vector<std::filesystem::path> files;  // everything written, in a stable order
    std::map<std::string, LanguageQc> languages;      // the languages published
    std::map<std::string, std::string> failed_languages;  // language -> why (one line); not published
    std::vector<Character> characters;         // who speaks in this episode (known ones keep their ids)
    Script source_script;                      // what was heard or read: the lines every language translates
    // Edits that no longer apply as made: the translation changed under them, or their line is
    // gone ("ep01 es: line 12: …"), one line each.
    std::vector<std::string> edit_notes;
    EpisodeFacts facts;                        // of the episode file, for the factory's later jobs
    bool probed = false;                       // this run probed and hashed the file (no facts were given, or it changed)
    int stages_computed = 0;                   // 0 on a re-run of an unchanged episode
    int stages_reused = 0;
};

// Adds the characters of an episode that `known` does not have yet (by id); a known one gains
// the pitch and voice reference it lacked.
void remember_characters(std::vector<Character>& known, const std::vector<Character>& met);

// Localizes one episode. A target language whose own work fails (its engine, or QC: more
// than max_untranslated_share of its lines untranslated) is left out of every output and
// reported in `failed_languages`; the others go on. Throws InputError/EngineError/IoError/
// Cancelled for what ends the whole episode; on any failure no output of this episode is left
// half-written (each file appears complete or not at all).
EpisodeOutputs localize_episode(const std::filesystem::path& episode, const LocalizeOptions& options);

}  // namespace dramaloc::pipeline
