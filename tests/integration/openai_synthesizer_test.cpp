// The OpenAI-compatible synthesizer (/v1/audio/speech) against the local server.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "engines/openai/openai_synthesizer.hpp"
#include "engines/tts.hpp"
#include "support/fake_openai_server.hpp"

using namespace dramaloc;
using namespace dramaloc::engines;
using dramaloc::test::Fault;
using dramaloc::test::FakeOpenAiServer;

namespace {

EngineSettings tts_settings(const FakeOpenAiServer& server) {
    EngineSettings s;
    s.backend = "openai";
    s.url = server.base_url();
    s.model = "tts-1";
    s.max_retries = 2;
    s.low_voices = {"onyx", "echo"};
    s.high_voices = {"nova"};
    return s;
}

}  // namespace

TEST(OpenAiSynthesizer, AsksForWavInTheCharactersVoiceAndDecodesIt) {
    FakeOpenAiServer server;
    auto tts = make_synthesizer(tts_settings(server));
    VoiceSpec spec;
    spec.language = "ar";
    spec.voice = tts->voice_for("ar", VoiceRegister::High, 0);
    EXPECT_EQ(spec.voice, "nova");
    const auto audio = tts->synthesize("مرحبا", spec);  // 5 characters: 0.3 + 5 × 0.06 s
    EXPECT_EQ(audio.channels, 1);
    EXPECT_EQ(audio.sample_rate, 24000);
    EXPECT_NEAR(static_cast<double>(audio.duration_ms()), 600.0, 2.0);
    const auto request = server.received().back();
    EXPECT_EQ(request["voice"], "nova");
    EXPECT_EQ(request["response_format"], "wav");
    EXPECT_EQ(request["model"], "tts-1");
    EXPECT_EQ(request["input"], "مرحبا");
}

TEST(OpenAiSynthesizer, CharactersOfARegisterGetDistinctVoicesTheSameInEveryLanguage) {
    FakeOpenAiServer server;
    auto tts = make_synthesizer(tts_settings(server));
    EXPECT_EQ(tts->voice_for("th", VoiceRegister::Low, 0), "onyx");
    EXPECT_EQ(tts->voice_for("th", VoiceRegister::Low, 1), "echo");
    EXPECT_EQ(tts->voice_for("es", VoiceRegister::Low, 1), "echo");
    EXPECT_EQ(tts->voice_for("es", VoiceRegister::Low, 2), "onyx");  // more characters than voices: reused
    EXPECT_EQ(tts->voices("th").size(), 3u);
}

TEST(OpenAiSynthesizer, RetriesAServerErrorAndRejectsAnAnswerThatIsNotWav) {
    FakeOpenAiServer server;
    server.queue({Fault::ServerError});
    auto tts = make_synthesizer(tts_settings(server));
    VoiceSpec spec;
    spec.language = "th";
    EXPECT_GT(tts->synthesize("สวัสดี", spec).frames(), 0);
    EXPECT_EQ(server.requests(), 2);

    // The chat endpoint is not a speech endpoint: its JSON answer is not a WAV.
    auto wrong = tts_settings(server);
    wrong.url = server.base_url() + "/chat";  // "/chat/audio/speech" does not exist: 404
    auto misconfigured = make_synthesizer(wrong);
    EXPECT_THROW(misconfigured->synthesize("x", spec), EngineError);
}
