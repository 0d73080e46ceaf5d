#pragma once
// Requests to the network engines' HTTP APIs (libcurl): JSON in and out, a timeout per
// request, retries with exponential backoff and jitter on 429, 5xx, timeouts and refused
// connections (a Retry-After header sets the wait), and a limit on requests in flight per
// endpoint shared by every client of that endpoint in the process. With DRAMALOC_LOG=debug
// each request and response is logged to stderr with the key redacted.
//
// Threading: one client may be used from several threads at once.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace dramaloc::engines {

struct HttpEndpoint {
    std::string base_url;      // ".../v1"
    std::string api_key;       // sent as "Authorization: Bearer KEY" when not empty
    double timeout_s = 120;
    int max_retries = 4;
    int max_concurrency = 4;
    double backoff_base_s = 0.5;  // first wait; doubled each retry, with ±50 % jitter, at most 30 s
};

// The endpoint an [engines.*] table describes (the key read from its environment variable).
struct EngineSettings;
HttpEndpoint endpoint_for(const EngineSettings& settings);

struct HttpResponse {
    long status = 0;
    std::string body;
    int attempts = 0;  // requests made (1 + retries)
};

class HttpClient {
public:
    explicit HttpClient(HttpEndpoint endpoint);

    // POSTs `body` to base_url + path. Returns the final response when its status is 2xx or
    // 4xx other than 429 (the caller judges it). Throws EngineError, one line naming the URL,
    // when the endpoint cannot be reached or keeps answering 429/5xx after every retry, and
    // Cancelled when the user interrupts a wait.
    HttpResponse post_json(std::string_view path, const nlohmann::json& body) const;

    // POSTs a multipart/form-data body: text `fields` (a name may repeat) and one file part.
    // Same retries and errors as post_json.
    struct FilePart {
        std::string field;         // "file"
        std::string file_name;     // "chunk.wav"
        std::string content_type;  // "audio/wav"
        std::string bytes;
    };
    HttpResponse post_multipart(std::string_view path, const std::vector<std::pair<std::string, std::string>>& fields,
                                const FilePart& file) const;

    const HttpEndpoint& endpoint() const { return endpoint_; }

private:
    struct Body;  // what one request sends (JSON or multipart)
    HttpResponse post(std::string_view path, const Body& body) const;
    HttpEndpoint endpoint_;
};

// Seconds a Retry-After header value asks for (delta-seconds; HTTP dates are not used by the
// servers we talk to and give the default). Exposed for tests.
double retry_after_seconds(std::string_view value, double fallback);

// `text` with every occurrence of `secret` replaced by "[redacted]". Exposed for tests.
std::string redacted(std::string text, std::string_view secret);

}  // namespace dramaloc::engines
