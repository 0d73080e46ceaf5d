// The house's one HTTP client (net/http_client.hpp) and the one chat completion
// (engines/openai/chat.hpp) against a local server that speaks the OpenAI protocol and fails on
// request (tests/support/fake_openai_server.hpp): bodies streamed from and to files, a file
// that is there only when the answer was a 2xx, retries, and one-line failures.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.hpp"
#include "engines/openai/chat.hpp"
#include "net/http_client.hpp"
#include "support/fake_openai_server.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using dramaloc::test::Fault;
using dramaloc::test::FakeOpenAiServer;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

net::HttpEndpoint endpoint_of(const FakeOpenAiServer& server) {
    net::HttpEndpoint e = engines::endpoint_for(server.engine("test-model"));
    e.timeout_s = 2;
    e.max_retries = 2;
    e.backoff_base_s = 0.05;
    return e;
}

// A chat request the fake server answers by shortening the user's text to max_chars.
json shorten_request(const std::string& text, int max_chars) {
    const json user = {{"text", text}, {"max_chars", max_chars}};
    return {{"model", "test-model"},
            {"messages", json::array({{{"role", "system"}, {"content", "You shorten a line."}}, {{"role", "user"}, {"content", user.dump()}}})}};
}

TEST(ChatCompletion, AsksOnceAndReadsTheFirstChoice) {
    FakeOpenAiServer server;
    const net::HttpClient client(endpoint_of(server));
    const auto reply = engines::ask_chat(client, "test-model", "You shorten a line of dubbed dialogue.", {{"text", "hello world again"}, {"max_chars", 11}});
    ASSERT_TRUE(reply.ok()) << reply.status;
    ASSERT_TRUE(reply.content);
    const auto answer = engines::parse_model_json(*reply.content, [](const json& v) { return v.contains("text"); });
    ASSERT_TRUE(answer);
    EXPECT_EQ((*answer)["text"], "hello world");
    ASSERT_EQ(server.received().size(), 1u);
    EXPECT_EQ(server.received()[0]["temperature"], 0);
    EXPECT_EQ(server.received()[0]["model"], "test-model");
}

TEST(HttpClient, StreamsABodyFromAFileAndA2xxAnswerIntoAFile) {
    FakeOpenAiServer server;
    const net::HttpClient client(endpoint_of(server));
    test::TempDir dir;
    test::write_file(dir / "request.json", shorten_request("one two three four", 7).dump());
    net::HttpRequest r;
    r.path = "/chat/completions";
    r.headers = {"Content-Type: application/json"};
    r.body_file = dir / "request.json";
    r.response_file = dir / "answer.json";
    const auto response = client.send(r);
    EXPECT_EQ(response.status, 200);
    EXPECT_TRUE(response.body.empty());
    const json answer = json::parse(test::read_file(dir / "answer.json"));
    EXPECT_EQ(json::parse(answer["choices"][0]["message"]["content"].get<std::string>())["text"], "one two");
}

TEST(HttpClient, RetriesA5xxAndStartsTheAnswerFileAnew) {
    FakeOpenAiServer server;
    server.queue({Fault::ServerError});
    const net::HttpClient client(endpoint_of(server));
    test::TempDir dir;
    net::HttpRequest r;
    r.path = "/chat/completions";
    r.headers = {"Content-Type: application/json"};
    r.body = shorten_request("alpha beta", 5).dump();
    r.response_file = dir / "answer.json";
    const auto response = client.send(r);
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.attempts, 2);
    const json answer = json::parse(test::read_file(dir / "answer.json"));  // the 500's body is not in it
    EXPECT_EQ(answer["object"], "chat.completion");
}

TEST(HttpClient, AFailureIsOneLineWithoutTheSecretsAndLeavesNoFile) {
    FakeOpenAiServer server;
    server.queue({Fault::ServerError, Fault::ServerError, Fault::ServerError});
    net::HttpEndpoint e = endpoint_of(server);
    e.api_key = "sk-very-secret";
    e.what = "the test server";
    e.advice = "start it";
    const net::HttpClient client(e);
    test::TempDir dir;
    net::HttpRequest r;
    r.path = "/chat/completions";
    r.body = shorten_request("alpha beta", 5).dump();
    r.response_file = dir / "answer.json";
    try {
        client.send(r);
        FAIL();
    } catch (const EngineError& error) {
        const std::string what = error.what();
        EXPECT_EQ(what.rfind("the test server at " + server.base_url() + "/chat/completions failed 3 times", 0), 0u) << what;
        EXPECT_NE(what.find("; start it"), std::string::npos) << what;
        EXPECT_EQ(what.find("sk-very-secret"), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
    EXPECT_FALSE(fs::exists(dir / "answer.json"));
    EXPECT_EQ(server.authorization_headers().back(), "Bearer sk-very-secret");
}

TEST(HttpClient, AMissingBodyFileIsAnIoError) {
    FakeOpenAiServer server;
    const net::HttpClient client(endpoint_of(server));
    net::HttpRequest r;
    r.path = "/chat/completions";
    r.body_file = "/nonexistent/request.json";
    EXPECT_THROW(client.send(r), IoError);
    EXPECT_TRUE(server.received().empty());
}

TEST(HttpClient, RetryAfterAndRedaction) {
    EXPECT_DOUBLE_EQ(net::retry_after_seconds("2", 0.5), 2.0);
    EXPECT_DOUBLE_EQ(net::retry_after_seconds("", 0.5), 0.5);
    EXPECT_DOUBLE_EQ(net::retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", 0.5), 0.5);
    EXPECT_DOUBLE_EQ(net::retry_after_seconds("100000", 0.5), 300.0);
    EXPECT_EQ(net::redacted("Bearer sk-1 and sk-1", "sk-1"), "Bearer [redacted] and [redacted]");
}

}  // namespace
