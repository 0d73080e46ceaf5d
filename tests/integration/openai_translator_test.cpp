// The OpenAI-compatible translator against a local server that speaks the protocol and
// misbehaves on request (tests/support/fake_openai_server.hpp): every failure the production
// engines meet is handled as docs/engines.md says, and no line is lost.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

#include "core/error.hpp"
#include "engines/openai/openai_translator.hpp"
#include "support/fake_openai_server.hpp"

using namespace dramaloc;
using namespace dramaloc::engines;
using dramaloc::test::Fault;
using dramaloc::test::FakeOpenAiServer;
using nlohmann::json;

namespace {

EngineSettings settings_for(const FakeOpenAiServer& server) {
    EngineSettings s = server.engine("test-model");
    s.timeout_s = 1.0;
    s.max_retries = 3;
    s.max_concurrency = 2;
    s.batch_lines = 4;
    return s;
}

std::vector<std::string> numbered(int n) {
    std::vector<std::string> lines;
    for (int i = 1; i <= n; ++i) lines.push_back("第" + std::to_string(i) + "句");
    return lines;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST(OpenAiTranslator, TranslatesInBatchesInOrderWithContextGlossaryAndBudgets) {
    FakeOpenAiServer server;
    const auto texts = numbered(10);
    for (std::size_t i = 0; i < texts.size(); ++i) server.translate("en", texts[i], "line " + std::to_string(i + 1));
    server.translate("en", "林小姐，车准备好了。", "Miss Lin, the car is ready.");
    auto all = texts;
    all.push_back("林小姐，车准备好了。");
    Series series;
    series.synopsis = "A rich heiress returns home.";
    series.glossary.push_back({"林小姐", {{"en", "Miss Lin"}, {"es", "señorita Lin"}}, ""});
    TranslationContext context;
    context.series = &series;
    context.durations.assign(all.size(), 2000);
    context.speakers.assign(all.size(), "lin");
    setenv("DRAMALOC_TEST_KEY", "sk-secret-123", 1);
    auto s = settings_for(server);
    s.api_key_env = "DRAMALOC_TEST_KEY";
    OpenAiTranslator translator(s);

    const auto out = translator.translate(all, "zh", "en", context);
    ASSERT_EQ(out.size(), all.size());
    for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(out[i], "line " + std::to_string(i + 1));
    EXPECT_EQ(out.back(), "Miss Lin, the car is ready.");
    EXPECT_EQ(server.requests(), 3);  // 11 lines in batches of 4
    for (const auto& h : server.authorization_headers()) EXPECT_EQ(h, "Bearer sk-secret-123");

    // Batches go out concurrently: look at the one that starts with line 1.
    json first;
    for (const auto& request : server.received())
        if (json::parse(request["messages"][1]["content"].get<std::string>())["translate"][0]["id"] == 1) first = request;
    ASSERT_FALSE(first.is_null());
    EXPECT_EQ(first["model"], "test-model");
    EXPECT_EQ(first["response_format"]["type"], "json_schema");
    const std::string system = first["messages"][0]["content"];
    EXPECT_NE(system.find("林小姐 -> Miss Lin"), std::string::npos) << system;
    EXPECT_EQ(system.find("señorita"), std::string::npos) << "another language's rendering was sent";
    const json user = json::parse(first["messages"][1]["content"].get<std::string>());
    EXPECT_EQ(user["translate"].size(), 4u);
    EXPECT_EQ(user["translate"][0]["id"], 1);
    EXPECT_EQ(user["translate"][0]["max_chars"], length_budget(2000, "en"));
    EXPECT_EQ(user["translate"][0]["speaker"], "lin");
    EXPECT_EQ(user["after"].size(), 2u);  // context, not to translate
    EXPECT_EQ(user["synopsis"], "A rich heiress returns home.");
    EXPECT_TRUE(translator.supports("zh", "th"));
    EXPECT_NE(translator.version().find("test-model"), std::string::npos);
}

TEST(OpenAiTranslator, WaitsAsLongAsRetryAfterSaysOn429) {
    FakeOpenAiServer server;
    server.set_retry_after("1");
    server.queue({Fault::TooManyRequests});
    OpenAiTranslator translator(settings_for(server));
    const auto started = std::chrono::steady_clock::now();
    const auto out = translator.translate({"你好"}, "zh", "en");
    EXPECT_GE(seconds_since(started), 0.95);
    EXPECT_EQ(out[0], "[en] 你好");
    EXPECT_EQ(server.requests(), 2);
}

TEST(OpenAiTranslator, RetriesServerErrorsAndTimeouts) {
    FakeOpenAiServer server;
    server.set_slow_ms(2500);  // beyond the 1 s timeout
    server.queue({Fault::ServerError, Fault::Slow});
    OpenAiTranslator translator(settings_for(server));
    const auto out = translator.translate({"你好", "再见"}, "zh", "es");
    EXPECT_EQ(out, (std::vector<std::string>{"[es] 你好", "[es] 再见"}));
    EXPECT_EQ(server.requests(), 3);
}

TEST(OpenAiTranslator, BadAnswersAreAskedAgainThenSplitThenGoOneByOne) {
    FakeOpenAiServer server;
    server.always_for_batches_over(1, Fault::Malformed);  // only single lines get a good answer
    server.queue({Fault::MissingId, Fault::ExtraLine});
    OpenAiTranslator translator(settings_for(server));
    const auto texts = numbered(4);
    const auto out = translator.translate(texts, "zh", "en");
    for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(out[i], "[en] " + texts[i]);
    const auto stats = translator.stats();
    EXPECT_GE(stats.rejected, 4);
    EXPECT_GE(stats.splits, 1);
    EXPECT_EQ(stats.lines_kept, 0);
}

TEST(OpenAiTranslator, AGlossaryMissIsAskedAgain) {
    FakeOpenAiServer server;
    server.translate("en", "林小姐来了。", "Miss Lin is here.");
    server.queue({Fault::GlossaryMiss});
    Series series;
    series.glossary.push_back({"林小姐", {{"en", "Miss Lin"}}, ""});
    TranslationContext context;
    context.series = &series;
    OpenAiTranslator translator(settings_for(server));
    EXPECT_EQ(translator.translate({"林小姐来了。"}, "zh", "en", context)[0], "Miss Lin is here.");
    EXPECT_EQ(translator.stats().rejected, 1);
}

TEST(OpenAiTranslator, ALineThatNeverGetsAGoodAnswerKeepsItsTextAndTheRunGoesOn) {
    FakeOpenAiServer server;
    server.always_for_batches_over(0, Fault::Malformed);
    OpenAiTranslator translator(settings_for(server));
    const auto out = translator.translate({"你好", "再见"}, "zh", "en");
    EXPECT_EQ(out, (std::vector<std::string>{"你好", "再见"}));  // QC reports them as untranslated
    EXPECT_EQ(translator.stats().lines_kept, 2);
}

TEST(OpenAiTranslator, AShorterLineIsMeasuredInCharactersAReaderSees) {
    // Thai: each word is 2 characters to a reader but 6 code points (vowel and tone marks).
    // The model's 8-character answer is 20 code points; counted as code points it would be
    // refused as too long for 8 characters.
    FakeOpenAiServer server;
    OpenAiTranslator translator(settings_for(server));
    const auto shorter = translator.shorten("ที่นี่ ที่นี่ ที่นี่ ที่นี่", "th", 8);
    ASSERT_TRUE(shorter.has_value());
    EXPECT_EQ(*shorter, "ที่นี่ ที่นี่ ที่นี่");
}

TEST(OpenAiTranslator, ReadsTheAnswerShapesModelsGive) {
    using dramaloc::test::AnswerShape;
    for (const auto shape : {AnswerShape::Fenced, AnswerShape::Bare, AnswerShape::ProseAround, AnswerShape::BareArray,
                             AnswerShape::RequestKey}) {
        FakeOpenAiServer server;
        server.set_answer_shape(shape);
        OpenAiTranslator translator(settings_for(server));
        const auto out = translator.translate(numbered(6), "zh", "en");
        SCOPED_TRACE(static_cast<int>(shape));
        ASSERT_EQ(out.size(), 6u);
        for (int i = 0; i < 6; ++i) EXPECT_EQ(out[static_cast<std::size_t>(i)], "[en] 第" + std::to_string(i + 1) + "句");
        EXPECT_EQ(translator.stats().rejected, 0);
        EXPECT_TRUE(translator.last_problem().empty()) << translator.last_problem();
    }
}

TEST(OpenAiTranslator, IdsStayStrictAndARefusalIsNamedWithWhatTheModelSaid) {
    // Answers whose ids are wrong are refused whatever their shape.
    EXPECT_FALSE(parse_translation_answer(R"([{"id": 1, "text": "a"}, {"id": 1, "text": "b"}])"));  // an id twice
    EXPECT_FALSE(parse_translation_answer(R"({"lines": [{"id": "1", "text": "a"}]})"));           // not an integer
    EXPECT_FALSE(parse_translation_answer(R"({"lines": [{"id": 1}]})"));                          // no text
    const auto prose = parse_translation_answer("Note [1]: see below.\n```\n{\"lines\": [{\"id\": 2, \"text\": \"b\"}]}\n```");
    ASSERT_TRUE(prose);
    EXPECT_EQ(prose->at(2), "b");

    FakeOpenAiServer server;
    server.refuse_language("es", "I'm sorry, but I can't help with translating this conversation.");
    OpenAiTranslator translator(settings_for(server));
    const auto out = translator.translate({"你好", "再见"}, "zh", "es");
    EXPECT_EQ(out, (std::vector<std::string>{"你好", "再见"}));
    const std::string problem = translator.last_problem();
    EXPECT_NE(problem.find(server.base_url()), std::string::npos) << problem;
    EXPECT_NE(problem.find("test-model"), std::string::npos) << problem;
    EXPECT_NE(problem.find("I'm sorry, but I can't help"), std::string::npos) << problem;
    EXPECT_EQ(problem.find('\n'), std::string::npos);
}

TEST(OpenAiTranslator, AServerWithoutStructuredOutputIsAskedWithoutIt) {
    FakeOpenAiServer server;
    server.always_for_batches_over(0, Fault::RejectSchema);
    OpenAiTranslator translator(settings_for(server));
    EXPECT_EQ(translator.translate({"你好"}, "zh", "en")[0], "[en] 你好");
    const auto received = server.received();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_TRUE(received[0].contains("response_format"));
    EXPECT_FALSE(received[1].contains("response_format"));
}

TEST(OpenAiTranslator, RequestsInFlightStayWithinTheLimitAndConcurrencyHidesLatency) {
    FakeOpenAiServer server;
    server.set_latency_ms(300);
    auto s = settings_for(server);
    s.batch_lines = 1;
    s.max_concurrency = 3;
    OpenAiTranslator translator(s);
    const auto started = std::chrono::steady_clock::now();
    const auto out = translator.translate(numbered(6), "zh", "en");
    const double wall = seconds_since(started);
    EXPECT_EQ(out.size(), 6u);
    EXPECT_LE(server.max_in_flight(), 3);
    EXPECT_GE(server.max_in_flight(), 2);
    EXPECT_LT(wall, 6 * 0.3);  // one at a time would take 1.8 s
}

TEST(OpenAiTranslator, AnUnreachableEndpointIsOneLineNamingIt) {
    std::string url;
    {
        FakeOpenAiServer gone;
        url = gone.base_url();
    }  // stopped: nothing listens there now
    EngineSettings s;
    s.backend = "openai";
    s.url = url;
    s.model = "m";
    s.max_retries = 1;
    OpenAiTranslator translator(s);
    try {
        translator.translate({"你好"}, "zh", "en");
        FAIL();
    } catch (const EngineError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(url), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        EXPECT_NE(message.find("failed 2 times"), std::string::npos) << message;
    }
}

TEST(EngineSettingsTest, ANamedKeyVariableThatIsNotSetIsAConfigError) {
    EngineSettings s;
    s.backend = "openai";
    s.url = "http://127.0.0.1:9/v1";
    s.api_key_env = "DRAMALOC_TEST_UNSET_KEY";
    unsetenv("DRAMALOC_TEST_UNSET_KEY");
    EXPECT_THROW(static_cast<void>(s.api_key()), ConfigError);
}
