#include "pipeline/stage_graph.hpp"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace dramaloc::pipeline {

namespace {

using P = StagePhase;
using S = StageScope;

// Types of what artifacts hold. The JSON ones are written and read through one serializer
// each: core/script_json (Script, Word, SubtitleEvent), pipeline/artifact_json (regions,
// characters), and the stage's own unit (pipeline/stages/NAME.cpp) for the rest.
constexpr std::string_view kWavMix = "WAV float32, 48 kHz, the source's channels";
constexpr std::string_view kWavSpeech = "WAV float32, 16 kHz mono";
constexpr std::string_view kWavClip = "WAV float32, mono";
constexpr std::string_view kScript = "Script (core/script_json)";

std::vector<StageDecl> declare() {
    return {
        {StageId::Hardsubs, "hardsubs", 2, P::Source, S::Episode, {"episode video", "config: ocr, subtitle band"},
         {{"hardsubs.json", "band + HardsubExtraction (pipeline/stages/hardsubs)"}},
         "find the burned-in subtitle band and read its text (OCR)"},
        {StageId::Decode, "decode", 3, P::Source, S::Episode, {"episode video"},
         {{"original.wav", kWavMix}, {"speech.wav", kWavSpeech}},
         "decode the soundtrack once: for the mix, and resampled for speech"},
        {StageId::SpeechRegions, "speech-regions", 1, P::Source, S::Episode, {"decode", "config: vad"},
         {{"regions.json", "[SpeechRegion] (pipeline/artifact_json)"}},
         "where people speak"},
        {StageId::Transcribe, "transcribe", 1, P::Source, S::Episode, {"decode", "speech-regions", "config: asr, source language"},
         {{"words.json", "[Word] (core/script_json)"}},
         "recognise the speech, with word times"},
        {StageId::Import, "import", 2, P::Source, S::Episode, {"script file", "hardsubs", "speech-regions"}, {},
         "source lines from the studio's script (a subtitle or text file), timed by the burned-in subtitles or the "
         "speech when it has none (key only: read each run)"},
        {StageId::RefineTiming, "refine-timing", 1, P::Source, S::Episode, {"hardsubs", "speech-regions"}, {},
         "burned-in lines timed by the speech under them (key only)"},
        {StageId::SourceScript, "source-script", 3, P::Source, S::Episode,
         {"transcribe", "import", "hardsubs", "refine-timing", "decode", "config: speakers, cast"},
         {{"script.json", kScript}, {"characters.json", "[Character] (pipeline/artifact_json)"}},
         "lines from one of transcribe, import, hardsubs or refine-timing; speakers and voice profiles"},
        {StageId::SeriesSpeakers, "series-speakers", 1, P::Characters, S::Series, {"source-script"}, {},
         "each episode's speakers mapped to the series' characters (key only; one job per series)"},
        {StageId::VoiceReference, "voice-reference", 2, P::Characters, S::Episode, {"series-speakers", "decode", "config: clone limits"},
         {{"references.json", "VoiceReferences (pipeline/stages/voice_reference)"},
          {"reference-N.wav", "WAV 16-bit, a character's cleanest speech", false}},
         "cut each character's voice reference (cloning synthesizers only), keyed on the script with "
         "the series' speaker ids once phase 2 has given them; in the source job, on the episode's own"},
        {StageId::Translate, "translate", 1, P::Language, S::Language, {"source-script", "series-speakers", "config: translate, glossary, synopsis"},
         {{"script.json", kScript}},
         "translate every line, keeping ids, times and speakers"},
        {StageId::Synthesize, "synthesize", 1, P::Language, S::Line,
         {"translate", "edits", "voice-reference", "config: tts, voices"},
         {{"clip.wav", kWavClip}},
         "speak one line in its character's voice"},
        {StageId::Fit, "fit", 1, P::Language, S::Line, {"synthesize", "config: fit"},
         {{"fitted.wav", kWavClip}, {"fit.json", "FitReport (pipeline/stages/fit)"}},
         "stretch or squeeze the clip into the line's slot"},
        {StageId::Shorten, "shorten", 1, P::Language, S::Line, {"translate", "fit"},
         {{"shorten.json", "{text} or {text: null} (pipeline/stages/shorten)"}},
         "a shorter line when the clip does not fit even at the speed bound; it is synthesized and fitted again "
         "(at most [fit] shorten_rounds rounds)"},
        {StageId::SpokenScript, "spoken-script", 1, P::Language, S::Language, {"translate", "edits", "shorten"}, {},
         "what is spoken: the translation with people's edits and shortened lines (key only)"},
        {StageId::Subtitles, "subtitles", 1, P::Language, S::Language, {"spoken-script", "source-script", "config: subtitle rules"},
         {{"events.json", "[SubtitleEvent] (core/script_json)"}},
         "segment the script into subtitle events by the language's rules"},
        {StageId::Mix, "mix", 3, P::Language, S::Language, {"decode", "speech-regions", "fit", "background stem", "config: mix"},
         {{"dub.wav", "WAV 16-bit, 48 kHz stereo"}, {"mix.json", "MixReport (pipeline/stages/mix)"},
          {"me.wav", "the music-and-effects stem at the mix's gain ([mix] stems)", false},
          {"dialogue.wav", "the dialogue stem at the mix's gain ([mix] stems)", false}},
         "place the clips over the ducked background, normalise loudness"},
        {StageId::EncodeDub, "encode-dub", 1, P::Language, S::Language, {"mix"},
         {{"dub.m4a", "AAC in an audio-only MP4"}},
         "encode the dub once; every video copies it"},
        {StageId::Mux, "mux", 2, P::Episode, S::Episode, {"episode video", "subtitles", "encode-dub"},
         {{"localized.mp4", "MP4: the video, every dub, every subtitle track"}},
         "one MP4 with all languages"},
        {StageId::BurnIn, "burn-in", 4, P::Episode, S::Language, {"episode video", "subtitles", "encode-dub", "hardsubs", "config: removal"},
         {{"burned.mp4", "MP4: subtitles drawn into the picture (inside a vertical picture's safe area), the dub"},
          {"drawn.json", "where the subtitles were drawn: the box of every frame's, in pixels (delivery's safe-area check)"},
          {"removal.json", "RemovalReport: how the original subtitles were removed (pipeline/stages/burn_in)", false}},
         "draw a language's subtitles into the picture (after removing the burned-in ones), with its "
         "dub; made in that language's job, the source language's and the textless picture ([series] textless: "
         "the burned-in ones removed, nothing drawn) in the episode job"},
    };
}

std::string joined(const std::vector<std::string_view>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + std::string(i);
    return out;
}

}  // namespace

const std::vector<StageDecl>& stage_graph() {
    static const std::vector<StageDecl> graph = declare();
    return graph;
}

const StageDecl& stage(StageId id) {
    for (const auto& s : stage_graph())
        if (s.id == id) return s;
    throw InternalError("stage " + std::to_string(static_cast<int>(id)) + " is not declared in pipeline/stage_graph.cpp");
}

const StageDecl* find_stage(std::string_view name) {
    for (const auto& s : stage_graph())
        if (s.name == name) return &s;
    return nullptr;
}

std::string_view to_string(StagePhase phase) {
    switch (phase) {
        case P::Source: return "source";
        case P::Characters: return "characters";
        case P::Language: return "language";
        case P::Episode: return "episode";
    }
    return "?";
}

std::string_view to_string(StageScope scope) {
    switch (scope) {
        case S::Episode: return "episode";
        case S::Series: return "series";
        case S::Language: return "language";
        case S::Line: return "line";
    }
    return "?";
}

std::string stage_graph_text() {
    std::ostringstream out;
    StagePhase phase{};
    bool first = true;
    for (const auto& s : stage_graph()) {
        if (first || s.phase != phase) {
            out << (first ? "" : "\n") << "job " << to_string(s.phase) << ":\n";
            phase = s.phase;
            first = false;
        }
        out << "  " << s.name << " v" << s.version << " (per " << to_string(s.scope) << ") — " << s.does << "\n";
        out << "      reads: " << joined(s.inputs) << "\n";
        if (s.outputs.empty()) out << "      stores: nothing (key only)\n";
        for (const auto& o : s.outputs) out << "      stores: " << o.file << (o.required ? "" : " (sometimes)") << " — " << o.type << "\n";
    }
    return out.str();
}

std::string stage_graph_json() {
    nlohmann::json stages = nlohmann::json::array();
    for (const auto& s : stage_graph()) {
        nlohmann::json outputs = nlohmann::json::array();
        for (const auto& o : s.outputs) outputs.push_back({{"file", o.file}, {"type", o.type}, {"required", o.required}});
        nlohmann::json inputs = nlohmann::json::array();
        for (const auto& i : s.inputs) inputs.push_back(i);
        stages.push_back({{"name", s.name}, {"version", s.version}, {"job", to_string(s.phase)}, {"per", to_string(s.scope)},
                          {"reads", inputs}, {"stores", outputs}, {"does", s.does}});
    }
    return nlohmann::json{{"stages", stages}}.dump(2) + "\n";
}

std::string stage_graph_dot() {
    std::ostringstream out;
    out << "digraph dramaloc {\n  rankdir=LR;\n";
    for (const auto& s : stage_graph()) {
        out << "  \"" << s.name << "\" [shape=" << (s.outputs.empty() ? "ellipse" : "box") << "];\n";
        for (const auto& i : s.inputs)
            if (find_stage(i)) out << "  \"" << i << "\" -> \"" << s.name << "\";\n";
    }
    out << "}\n";
    return out.str();
}

}  // namespace dramaloc::pipeline
