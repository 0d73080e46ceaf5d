#include "engines/openai/chat.hpp"

#include <vector>

#include "engines/engine_settings.hpp"

namespace dramaloc::engines {

using nlohmann::json;

namespace {

// Where a JSON value that starts at content[first] ('{' or '[') ends, brackets matched outside
// strings; npos when it does not close.
std::size_t json_end(const std::string& content, std::size_t first) {
    std::vector<char> open;
    bool in_string = false, escaped = false;
    for (std::size_t i = first; i < content.size(); ++i) {
        const char c = content[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '{' || c == '[') open.push_back(c == '{' ? '}' : ']');
        else if (c == '}' || c == ']') {
            if (open.empty() || open.back() != c) return std::string::npos;
            open.pop_back();
            if (open.empty()) return i + 1;
        }
    }
    return std::string::npos;
}

}  // namespace

net::HttpEndpoint endpoint_for(const EngineSettings& s) {
    net::HttpEndpoint e;
    e.base_url = s.url;
    e.api_key = s.api_key();
    e.timeout_s = s.timeout_s;
    e.max_retries = s.max_retries;
    e.max_concurrency = s.max_concurrency;
    return e;
}

ChatReply ask_chat(const net::HttpClient& client, const std::string& model, const std::string& system, const json& user,
                   const json& response_format) {
    json request = {{"model", model},
                    {"temperature", 0},
                    {"messages", json::array({{{"role", "system"}, {"content", system}}, {{"role", "user"}, {"content", user.dump()}}})}};
    if (!response_format.is_null()) request["response_format"] = response_format;
    const net::HttpResponse response = client.post_json("/chat/completions", request);
    ChatReply reply;
    reply.status = response.status;
    reply.body = response.body;
    if (reply.ok()) {
        try {
            reply.content = json::parse(response.body).at("choices").at(0).at("message").at("content").get<std::string>();
        } catch (const json::exception&) {
        }
    }
    return reply;
}

std::optional<json> parse_model_json(const std::string& content, const std::function<bool(const json&)>& usable) {
    // The whole answer, then each JSON object or array in it (inside a ``` fence, or with
    // words before and after), first to last.
    const auto try_parse = [&](std::string_view text) -> std::optional<json> {
        try {
            json value = json::parse(text);
            if (usable(value)) return value;
        } catch (const json::exception&) {
        }
        return std::nullopt;
    };
    if (auto whole = try_parse(content)) return whole;
    for (std::size_t at = content.find_first_of("{["); at != std::string::npos; at = content.find_first_of("{[", at + 1)) {
        const std::size_t end = json_end(content, at);
        if (end == std::string::npos) continue;
        if (auto value = try_parse(std::string_view(content).substr(at, end - at))) return value;
    }
    return std::nullopt;
}

}  // namespace dramaloc::engines
