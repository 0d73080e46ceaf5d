#pragma once
// One chat completion on an OpenAI-compatible /chat/completions endpoint, and reading the JSON
// a model answers with. Used by the translator (translations, shortened lines) and by the
// content review's model rules, so the request and the answer are built and read in one place.
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "net/http_client.hpp"

namespace dramaloc::engines {

struct EngineSettings;

// The endpoint an [engines.*] table describes (the key read from its environment variable).
net::HttpEndpoint endpoint_for(const EngineSettings& settings);

struct ChatReply {
    long status = 0;
    std::string body;                    // the server's whole answer
    std::optional<std::string> content;  // the first choice's message; none when the answer is not a chat completion
    bool ok() const { return status >= 200 && status <= 299; }
};

// Asks `model` with a system message and a user message (JSON, sent as its text), at
// temperature 0, with `response_format` when it is not null. Throws what HttpClient::send
// throws (the endpoint cannot be reached); a refusal is a reply the caller judges.
ChatReply ask_chat(const net::HttpClient& client, const std::string& model, const std::string& system, const nlohmann::json& user,
                   const nlohmann::json& response_format = nullptr);

// The first JSON value in a model's answer that `usable` accepts: the whole answer, or an
// object or array inside it (a ``` fence, words around it). Exposed for tests.
std::optional<nlohmann::json> parse_model_json(const std::string& content,
                                               const std::function<bool(const nlohmann::json&)>& usable);

}  // namespace dramaloc::engines
