// The OpenAI-compatible synthesizer (/v1/audio/speech) against the local server.
#include <gtest/gtest.h>

#include "core/config.hpp"
#include "core/config_schema.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "media/wav.hpp"
#include "support/test_support.hpp"
#include "engines/openai/openai_synthesizer.hpp"
#include "engines/tts.hpp"
#include "support/fake_openai_server.hpp"

using namespace dramaloc;
using namespace dramaloc::engines;
using dramaloc::test::Fault;
using dramaloc::test::FakeOpenAiServer;

namespace {

EngineSettings tts_settings(const FakeOpenAiServer& server) {
    EngineSettings s = server.engine("tts-1");
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

namespace {

// A short WAV standing in for a character's reference clip.
std::filesystem::path reference_clip(const dramaloc::test::TempDir& dir) {
    const auto path = dir / "reference.wav";
    media::write_wav(path, media::make_sine(200.0, 3500, 24000, 1, 0.3f), media::WavSampleFormat::Pcm16);
    return path;
}

VoiceSpec cloned(const std::filesystem::path& clip) {
    VoiceSpec spec;
    spec.language = "en";
    spec.voice = "onyx";
    spec.reference_audio = clip.string();
    spec.reference_text = "我回来了。";
    return spec;
}

}  // namespace

TEST(OpenAiSynthesizer, ClonesFromTheReferenceSentAsBase64InTheConfiguredFields) {
    dramaloc::test::TempDir dir;
    const auto clip = reference_clip(dir);
    FakeOpenAiServer server;
    server.set_clone_fields("speaker_wav", "speaker_text");
    auto settings = tts_settings(server);
    settings.clone = true;
    settings.reference_audio_field = "speaker_wav";
    settings.reference_text_field = "speaker_text";
    auto tts = make_synthesizer(settings);
    const auto with_clip = tts->synthesize("I am back.", cloned(clip));
    const auto speeches = server.speeches();
    ASSERT_EQ(speeches.size(), 1u);
    EXPECT_EQ(speeches[0].transport, "json");
    EXPECT_EQ(speeches[0].reference_wav, dramaloc::read_text_file(clip));  // byte for byte
    EXPECT_EQ(speeches[0].reference_text, "我回来了。");
    EXPECT_EQ(speeches[0].request["voice"], "onyx");
    EXPECT_EQ(speeches[0].request["input"], "I am back.");
    // The identity says how references are sent: a change of fields must synthesize again.
    auto other = settings;
    other.reference_audio_field = "audio_prompt";
    EXPECT_NE(tts->version(), make_synthesizer(other)->version());
    EXPECT_GT(with_clip.frames(), 0);
}

TEST(OpenAiSynthesizer, ClonesThroughAMultipartFormWhenTheServerWantsOne) {
    dramaloc::test::TempDir dir;
    const auto clip = reference_clip(dir);
    FakeOpenAiServer server;
    auto settings = tts_settings(server);
    settings.clone = true;
    settings.clone_request = "multipart";
    auto tts = make_synthesizer(settings);
    tts->synthesize("I am back.", cloned(clip));
    const auto speeches = server.speeches();
    ASSERT_EQ(speeches.size(), 1u);
    EXPECT_EQ(speeches[0].transport, "multipart");
    EXPECT_EQ(speeches[0].reference_wav, dramaloc::read_text_file(clip));
    EXPECT_EQ(speeches[0].reference_text, "我回来了。");
    EXPECT_EQ(speeches[0].request["model"], "tts-1");
    EXPECT_EQ(speeches[0].request["response_format"], "wav");
}

TEST(OpenAiSynthesizer, SendsNoReferenceUnlessCloningIsOnAndFailsClearlyWhenTheClipIsGone) {
    dramaloc::test::TempDir dir;
    const auto clip = reference_clip(dir);
    FakeOpenAiServer server;
    auto settings = tts_settings(server);
    make_synthesizer(settings)->synthesize("Hello.", cloned(clip));
    EXPECT_TRUE(server.speeches().back().reference_wav.empty());

    settings.clone = true;
    auto tts = make_synthesizer(settings);
    VoiceSpec no_clip = cloned(clip);
    no_clip.reference_audio.clear();  // a character without a reference: the preset voice
    tts->synthesize("Hello.", no_clip);
    EXPECT_TRUE(server.speeches().back().reference_wav.empty());

    try {
        tts->synthesize("Hello.", cloned(dir / "gone.wav"));
        FAIL() << "a missing reference must not be sent as nothing";
    } catch (const EngineError& e) {
        EXPECT_NE(std::string(e.what()).find("voice reference"), std::string::npos) << e.what();
    }
}

TEST(OpenAiSynthesizer, CloningSettingsAreCheckedWhenTheConfigIsRead) {
    const auto parse = [](const std::string& tts) {
        static const ConfigSchema schema("test file", {engine_config_table("tts", "espeak")});
        return engine_settings(Config::parse("[engines.tts]\n" + tts, "tts.toml", schema), "tts", "espeak");
    };
    EXPECT_THROW(parse("clone = true\n"), ConfigError);  // espeak has fixed voices
    EXPECT_THROW(parse("backend = \"openai\"\nurl = \"http://127.0.0.1:1/v1\"\nclone = true\nclone_request = \"xml\"\n"), ConfigError);
    EXPECT_THROW(parse("backend = \"openai\"\nurl = \"http://127.0.0.1:1/v1\"\nclone = true\nreference_min_s = 12\n"), ConfigError);
    const auto ok = parse("backend = \"openai\"\nurl = \"http://127.0.0.1:1/v1\"\nclone = true\nclone_request = \"multipart\"\n"
                          "reference_audio_field = \"speaker_wav\"\nreference_max_s = 8\n");
    EXPECT_TRUE(ok.clone);
    EXPECT_EQ(ok.clone_request, "multipart");
    EXPECT_EQ(ok.reference_audio_field, "speaker_wav");
    EXPECT_EQ(ok.reference_text_field, "reference_text");
    EXPECT_EQ(ok.reference_max_s, 8.0);
}
