#pragma once
// One synthetic voice per character: chosen from the character's pitch register (low →
// male variants, high → female) and its order among characters of that register, never
// from the language — so a character keeps the same variant in every language.
#include <map>
#include <string>
#include <vector>

#include "core/script.hpp"
#include "engines/tts.hpp"

namespace dramaloc::pipeline {

// speaker id → backend voice name for `language`; "" (unknown speaker) gets an entry too.
// Throws EngineError naming the package when the backend has no voice for the language.
std::map<std::string, std::string> assign_voices(const std::vector<Character>& characters, const std::string& language,
                                                 const engines::SpeechSynthesizer& tts);

}  // namespace dramaloc::pipeline
