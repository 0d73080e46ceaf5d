#pragma once
// The house's one HTTP client (libcurl), for the model servers' APIs and the S3 object store:
// a timeout per request (or, for large transfers, a limit on stalls), retries with
// exponential backoff and jitter on 429, 5xx, timeouts and refused connections (a
// Retry-After header sets the wait), a limit on requests in flight per endpoint shared by
// every client of that endpoint in the process, Ctrl-C ending a request at once, bodies
// streamed from and to files, and AWS Signature Version 4 (libcurl's own). With
// DRAMALOC_LOG=debug each request and response is logged to stderr with the secrets redacted.
//
// Threading: one client may be used from several threads at once.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace dramaloc::net {

struct HttpEndpoint {
    std::string base_url;      // ".../v1", "http://127.0.0.1:9000"; a request's path is appended
    std::string api_key;       // sent as "Authorization: Bearer KEY" when not empty
    // AWS Signature Version 4 when not empty: "aws:amz:REGION:SERVICE", with the key pair.
    std::string sigv4;
    std::string access_key, secret_key;
    double timeout_s = 120;    // one exchange at most; 0: no limit, but 60 s without a byte ends it
    int max_retries = 4;
    int max_concurrency = 4;
    double backoff_base_s = 0.5;  // first wait; doubled each retry, with ±50 % jitter, at most 30 s
    // How a failure names the server and what it advises, in its one line:
    // "<what> at <url> failed 3 times (last: …); <advice>".
    std::string what = "the engine";
    std::string advice = "check that the server is running and reachable, or raise timeout_s/max_retries in [engines.*]";
};

struct FilePart {
    std::string field;         // "file"
    std::string file_name;     // "chunk.wav"
    std::string content_type;  // "audio/wav"
    std::string bytes;
};

struct HttpRequest {
    std::string method = "POST";
    std::string path;                  // appended to the endpoint's base_url
    std::vector<std::string> headers;  // "Name: value"
    std::string body;                  // sent as is, or
    std::filesystem::path body_file;   // streamed from this file, or
    // a multipart/form-data body: text fields (a name may repeat) and one file part.
    std::optional<std::pair<std::vector<std::pair<std::string, std::string>>, FilePart>> form;
    // A 2xx answer's body is written to this file instead of the response (the file exists
    // after send() only then; other answers' bodies stay in the response).
    std::filesystem::path response_file;
};

struct HttpResponse {
    long status = 0;
    std::string body;
    int attempts = 0;  // requests made (1 + retries)
};

class HttpClient {
public:
    explicit HttpClient(HttpEndpoint endpoint);

    // Sends `request`. Returns the final response when its status is 2xx, 3xx or 4xx other
    // than 429 (the caller judges it). Throws EngineError, one line naming the URL and not the
    // secrets, when the endpoint cannot be reached or keeps answering 429/5xx after every
    // retry; IoError when a body file cannot be read or written; Cancelled when the user
    // interrupts.
    HttpResponse send(const HttpRequest& request) const;

    // POSTs `body` as application/json to base_url + path.
    HttpResponse post_json(std::string_view path, const nlohmann::json& body) const;
    // POSTs a multipart/form-data body.
    HttpResponse post_multipart(std::string_view path, const std::vector<std::pair<std::string, std::string>>& fields,
                                const FilePart& file) const;

    const HttpEndpoint& endpoint() const { return endpoint_; }

private:
    HttpEndpoint endpoint_;
};

// Seconds a Retry-After header value asks for (delta-seconds; HTTP dates are not used by the
// servers we talk to and give the default). Exposed for tests.
double retry_after_seconds(std::string_view value, double fallback);

// `text` with every occurrence of `secret` replaced by "[redacted]". Exposed for tests.
std::string redacted(std::string text, std::string_view secret);

}  // namespace dramaloc::net
