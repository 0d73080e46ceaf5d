// The OpenAI-compatible recognizer (/v1/audio/transcriptions) against the local server.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "engines/asr.hpp"
#include "engines/openai/openai_recognizer.hpp"
#include "support/fake_openai_server.hpp"

using namespace dramaloc;
using namespace dramaloc::engines;
using dramaloc::test::Fault;
using dramaloc::test::FakeOpenAiServer;
using nlohmann::json;

namespace {

EngineSettings asr_settings(const FakeOpenAiServer& server) {
    EngineSettings s = server.engine("whisper-large-v3");
    s.timeout_s = 2;
    s.max_retries = 2;
    return s;
}

}  // namespace

TEST(OpenAiRecognizer, SendsTheChunkAsWavWithWordTimestampsAndReturnsEpisodeTimes) {
    FakeOpenAiServer server;
    server.set_transcript({"Where", "are", "you", "going?"});
    auto recognizer = make_speech_recognizer(asr_settings(server));
    const auto audio = media::make_sine(300, 2000, 16000, 1, 0.3f);  // a 2 s chunk
    const auto words = recognizer->recognize(audio, 61000, "zh-Hans");
    ASSERT_EQ(words.size(), 4u);
    EXPECT_EQ(words[0].text, "Where");
    EXPECT_EQ(words[3].text, "going?");
    EXPECT_EQ(words[0].start, 61000);
    EXPECT_EQ(words[1].start, 61500);  // 2 s / 4 words, moved by the chunk's offset
    EXPECT_EQ(words[3].end, 61000 + 1500 + 400);

    const auto uploads = server.uploads();
    ASSERT_EQ(uploads.size(), 1u);
    const auto& u = uploads[0];
    EXPECT_NEAR(u.seconds, 2.0, 0.001);
    EXPECT_EQ(u.content_type, "audio/wav");
    EXPECT_EQ(u.fields.find("model")->second, "whisper-large-v3");
    EXPECT_EQ(u.fields.find("response_format")->second, "verbose_json");
    EXPECT_EQ(u.fields.find("language")->second, "zh");
    const auto [first, last] = u.fields.equal_range("timestamp_granularities[]");
    std::vector<std::string> granularities;
    for (auto it = first; it != last; ++it) granularities.push_back(it->second);
    EXPECT_NE(std::find(granularities.begin(), granularities.end(), "word"), granularities.end());
    EXPECT_EQ(recognizer->languages(), std::vector<std::string>{"*"});
}

TEST(OpenAiRecognizer, RetriesAServerErrorAndNamesTheServerWhenTheAnswerIsNotATranscription) {
    FakeOpenAiServer server;
    server.set_transcript({"hello"});
    server.queue({Fault::ServerError});
    auto recognizer = make_speech_recognizer(asr_settings(server));
    const auto audio = media::make_sine(300, 500, 16000, 1, 0.3f);
    EXPECT_EQ(recognizer->recognize(audio, 0, "en").size(), 1u);
    EXPECT_EQ(server.uploads().size(), 2u);

    server.queue({Fault::Malformed});
    try {
        recognizer->recognize(audio, 0, "en");
        FAIL();
    } catch (const EngineError& e) {
        EXPECT_NE(std::string(e.what()).find(server.base_url()), std::string::npos) << e.what();
    }
}

TEST(OpenAiRecognizer, SegmentsWithoutWordsAreSpreadOverTheSegment) {
    const json answer = {{"text", "ab cd"}, {"segments", json::array({{{"start", 1.0}, {"end", 2.0}, {"text", " ab cd"}}})}};
    const auto words = words_from_transcription(answer, 500);
    ASSERT_EQ(words.size(), 2u);
    EXPECT_EQ(words[0].start, 1500);
    EXPECT_EQ(words[0].end, 2000);
    EXPECT_EQ(words[1].end, 2500);
}
