#pragma once
// The stage graph as data: every stage of the pipeline declared once, with its version, the
// job (phase) it runs in, what it reads, and the files it must leave in its artifact.
//
// Keys are computed from a declaration (stage_key: its name and version live nowhere else),
// and run_stage refuses an artifact that lacks a declared output. What a key is made of
// (`inputs`) is documentation, kept true by review: the code passes the input keys. `dramaloc stages` prints the graph; docs/design.md shows it and a test keeps the
// two equal. Bumping `version` makes every artifact of the stage (and what depends on it)
// be made again.
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc::pipeline {

enum class StageId {
    Hardsubs,
    Decode,
    SpeechRegions,
    Transcribe,
    Import,
    RefineTiming,
    SourceScript,
    VoiceReference,
    SeriesSpeakers,
    Translate,
    Synthesize,
    Fit,
    Shorten,
    SpokenScript,
    Subtitles,
    Mix,
    EncodeDub,
    BurnIn,
    Mux,  // the last
};

// Where a stage runs: the factory's job kinds (jobs/factory.hpp), in order.
enum class StagePhase { Source, Characters, Language, Episode };

// What one run of a stage covers.
enum class StageScope { Episode, Series, Language, Line };

struct StageOutput {
    std::string_view file;  // in the stage's artifact folder
    std::string_view type;  // what it holds, and where it is (de)serialized
    bool required = true;   // false: only under some inputs (run_stage does not check it)
};

struct StageDecl {
    StageId id;
    std::string_view name;
    int version;
    StagePhase phase;
    StageScope scope;
    // Stages (by name) or outside inputs ("episode video", "script file", "config: …",
    // "edits") its key is made of. A stage named here is declared before this one.
    std::vector<std::string_view> inputs;
    // Empty for a key-only stage: it names a combination of its inputs and stores nothing.
    std::vector<StageOutput> outputs;
    std::string_view does;
};

// All stages, in an order where every stage comes after the stages it reads.
const std::vector<StageDecl>& stage_graph();
const StageDecl& stage(StageId id);
// nullptr when no stage has that name.
const StageDecl* find_stage(std::string_view name);

std::string_view to_string(StagePhase phase);
std::string_view to_string(StageScope scope);

// The graph as text (what `dramaloc stages` prints and docs/design.md shows), as JSON, or
// as Graphviz dot.
std::string stage_graph_text();
std::string stage_graph_json();
std::string stage_graph_dot();

}  // namespace dramaloc::pipeline
