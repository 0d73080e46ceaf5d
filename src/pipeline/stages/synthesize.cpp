// Stage synthesize: one line spoken in its character's voice.
#include <algorithm>

#include "media/wav.hpp"
#include "pipeline/stages/language.hpp"
#include "pipeline/voices.hpp"

namespace dramaloc::pipeline {

namespace fs = std::filesystem;
using nlohmann::json;

VoiceCast cast_voices(StageContext& context, const std::vector<Character>& episode_characters, const Script& script,
                      std::initializer_list<const std::vector<Character>*> known, const std::string& language,
                      const engines::EngineSettings& tts) {
    VoiceCast out;
    out.language = language;
    out.tts = engines::make_synthesizer(tts);
    std::vector<Character> cast = episode_characters;
    for (const auto& characters : known)
        for (const auto& c : *characters)
            if (std::none_of(cast.begin(), cast.end(), [&](const Character& k) { return k.id == c.id; }) &&
                std::any_of(script.lines.begin(), script.lines.end(), [&](const Line& l) { return l.speaker == c.id; }))
                cast.push_back(c);
    out.voices = assign_voices(cast, language, *out.tts);
    // A cloning synthesizer hears each character's reference clip: its content and transcript
    // are part of every clip's key.
    if (tts.clone)
        for (const auto& c : episode_characters)
            if (!c.reference_audio.empty())
                out.references[c.id] = {c.reference_audio, c.reference_text, context.hashes.hash(c.reference_audio)};
    return out;
}

Clip synthesize_line(StageContext& context, const VoiceCast& cast, const Line& line, const std::string& text, int take,
                     const std::string& scope) {
    auto& tts = *cast.tts;
    const std::string voice = cast.voices.count(line.speaker) ? cast.voices.at(line.speaker) : cast.voices.at("");
    const auto reference = cast.references.find(line.speaker);
    const bool cloned = reference != cast.references.end();
    json what = cloned ? json{voice, text, reference->second.text} : json{voice, text};
    if (take > 0) what.push_back({{"take", take}});
    Clip out;
    out.key = cloned ? stage_key(StageId::Synthesize, tts.version(), {reference->second.hash}, what.dump())
                     : stage_key(StageId::Synthesize, tts.version(), {}, what.dump());
    out.dir = run_stage(context, {StageId::Synthesize, scope, tts.version(), out.key}, [&](const fs::path& dir) {
        engines::VoiceSpec spec;
        spec.language = cast.language;
        spec.voice = voice;
        if (cloned) spec.reference_audio = reference->second.audio, spec.reference_text = reference->second.text;
        media::write_wav(dir / "clip.wav", tts.synthesize(text, spec), media::WavSampleFormat::Float32);
    });
    out.text = text;
    return out;
}

}  // namespace dramaloc::pipeline
