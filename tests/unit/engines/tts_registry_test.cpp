#include "engines/tts.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace dramaloc::engines {
namespace {

TEST(SynthesizerRegistry, CreatesTheEspeakBackendByName) {
    const std::unique_ptr<SpeechSynthesizer> tts = make_synthesizer("espeak");
    ASSERT_NE(tts, nullptr);
    EXPECT_EQ(tts->name(), "espeak");
    // The default synthesize_with_words of the interface and espeak's own agree on the audio.
    VoiceSpec voice;
    voice.language = "en";
    EXPECT_EQ(tts->synthesize("Let it rain.", voice).samples, tts->synthesize_with_words("Let it rain.", voice).audio.samples);
}

TEST(SynthesizerRegistry, UnknownBackendListsTheAvailableOnes) {
    try {
        make_synthesizer("piper");
        FAIL() << "expected EngineError";
    } catch (const EngineError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("\"piper\""), std::string::npos) << what;
        EXPECT_NE(what.find("available: espeak"), std::string::npos) << what;
    }
}

}  // namespace
}  // namespace dramaloc::engines
