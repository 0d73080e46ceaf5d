#include "engines/http/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "engines/engine_settings.hpp"

namespace dramaloc::engines {
namespace {

struct CurlDeleter {
    void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool debug_logging() {
    static const bool on = [] {
        const char* v = std::getenv("DRAMALOC_LOG");
        return v && std::string_view(v) == "debug";
    }();
    return on;
}

// Requests in flight per endpoint, for the whole process.
class Gate {
public:
    static Gate& for_endpoint(const std::string& url, int limit) {
        static std::mutex mutex;
        static std::map<std::string, std::unique_ptr<Gate>> gates;
        std::lock_guard lock(mutex);
        auto& gate = gates[url];
        if (!gate) gate = std::make_unique<Gate>(limit);
        return *gate;
    }
    explicit Gate(int limit) : free_(limit) {}
    // Waits for a free place; throws Cancelled on Ctrl-C while waiting.
    void enter() {
        std::unique_lock lock(mutex_);
        while (!changed_.wait_for(lock, std::chrono::milliseconds(100), [&] { return free_ > 0; })) throw_if_cancelled();
        --free_;
    }
    void leave() {
        {
            std::lock_guard lock(mutex_);
            ++free_;
        }
        changed_.notify_one();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int free_;
};

struct Exchange {
    CURLcode code = CURLE_OK;
    long status = 0;
    std::string body;
    std::string retry_after;
    std::string error;
};

// Called by libcurl while a request is under way (at least about once a second even when
// nothing moves): a non-zero answer aborts the transfer, so Ctrl-C ends a request to a
// server that never answers at once, not after timeout_s.
int on_progress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) { return cancel_requested() ? 1 : 0; }

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    std::string_view line(data, size * n);
    constexpr std::string_view kName = "retry-after:";
    if (line.size() > kName.size()) {
        std::string lower(line.substr(0, kName.size()));
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower == kName) {
            std::string value(line.substr(kName.size()));
            value.erase(0, value.find_first_not_of(" \t"));
            value.erase(value.find_last_not_of(" \t\r\n") + 1);
            *static_cast<std::string*>(user) = value;
        }
    }
    return size * n;
}

struct MimeDeleter {
    void operator()(curl_mime* m) const noexcept { curl_mime_free(m); }
};
using MimePtr = std::unique_ptr<curl_mime, MimeDeleter>;

}  // namespace

struct HttpClient::Body {
    std::string json;  // a JSON body, or:
    const std::vector<std::pair<std::string, std::string>>* fields = nullptr;
    const FilePart* file = nullptr;
    std::size_t size() const { return file ? file->bytes.size() : json.size(); }
};

namespace {

Exchange exchange_once(const HttpEndpoint& e, const std::string& url, const std::string& payload,
                       const std::vector<std::pair<std::string, std::string>>* fields, const HttpClient::FilePart* file) {
    init_curl_once();
    Exchange x;
    CurlPtr curl(curl_easy_init());
    if (!curl) throw EngineError("libcurl could not start (out of memory?)");
    SlistPtr headers(file ? nullptr : curl_slist_append(nullptr, "Content-Type: application/json"));
    if (!e.api_key.empty()) headers.reset(curl_slist_append(headers.release(), ("Authorization: Bearer " + e.api_key).c_str()));
    char error[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    MimePtr mime;
    if (file) {
        mime.reset(curl_mime_init(c));
        for (const auto& [name, value] : *fields) {
            curl_mimepart* part = curl_mime_addpart(mime.get());
            curl_mime_name(part, name.c_str());
            curl_mime_data(part, value.data(), value.size());
        }
        curl_mimepart* part = curl_mime_addpart(mime.get());
        curl_mime_name(part, file->field.c_str());
        curl_mime_filename(part, file->file_name.c_str());
        curl_mime_type(part, file->content_type.c_str());
        curl_mime_data(part, file->bytes.data(), file->bytes.size());
        curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());
    } else {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    }
    if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(e.timeout_s * 1000));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(e.timeout_s, 10.0) * 1000));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for timeouts
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &x.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &x.retry_after);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");  // loopback servers never via a proxy
    x.code = curl_easy_perform(c);
    if (x.code == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &x.status);
    x.error = error[0] ? error : curl_easy_strerror(x.code);
    return x;
}

// Sleeps `seconds`, waking to honour Ctrl-C.
void wait_for(double seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
        throw_if_cancelled();
        std::this_thread::sleep_for(std::min<std::chrono::duration<double>>(until - std::chrono::steady_clock::now(),
                                                                          std::chrono::milliseconds(50)));
    }
}

}  // namespace

double retry_after_seconds(std::string_view value, double fallback) {
    if (value.empty()) return fallback;
    char* end = nullptr;
    const std::string s(value);
    const double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0' || !std::isfinite(v) || v < 0) return fallback;
    return std::min(v, 300.0);
}

std::string redacted(std::string text, std::string_view secret) {
    if (secret.empty()) return text;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
        text.replace(at, secret.size(), "[redacted]");
    return text;
}

HttpEndpoint endpoint_for(const EngineSettings& s) {
    return HttpEndpoint{s.url, s.api_key(), s.timeout_s, s.max_retries, s.max_concurrency};
}

HttpClient::HttpClient(HttpEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

HttpResponse HttpClient::post_json(std::string_view path, const nlohmann::json& body) const {
    Body b;
    b.json = body.dump();
    return post(path, b);
}

HttpResponse HttpClient::post_multipart(std::string_view path, const std::vector<std::pair<std::string, std::string>>& fields,
                                        const FilePart& file) const {
    Body b;
    b.fields = &fields;
    b.file = &file;
    return post(path, b);
}

HttpResponse HttpClient::post(std::string_view path, const Body& body) const {
    const std::string url = endpoint_.base_url + std::string(path);
    const std::string& payload = body.json;
    Gate& gate = Gate::for_endpoint(endpoint_.base_url, endpoint_.max_concurrency);
    thread_local std::mt19937 jitter_source(std::random_device{}());
    HttpResponse response;
    std::string last_problem;
    for (int attempt = 0; attempt <= endpoint_.max_retries; ++attempt) {
        throw_if_cancelled();
        gate.enter();
        const auto started = std::chrono::steady_clock::now();
        Exchange x;
        try {
            x = exchange_once(endpoint_, url, payload, body.fields, body.file);
        } catch (...) {
            gate.leave();
            throw;
        }
        gate.leave();
        throw_if_cancelled();  // an aborted transfer is the user's Ctrl-C, not the server's failure
        ++response.attempts;
        if (debug_logging()) {
            const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
            std::cerr << "dramaloc: http POST " << url << " (" << body.size() << " bytes) -> "
                      << (x.code == CURLE_OK ? std::to_string(x.status) : x.error) << " in " << static_cast<long>(ms)
                      << " ms: " << redacted(x.body.substr(0, 400), endpoint_.api_key) << "\n";
        }
        const bool transport_failed = x.code != CURLE_OK;
        const bool retryable_status = x.status == 429 || (x.status >= 500 && x.status <= 599);
        if (!transport_failed && !retryable_status) {
            response.status = x.status;
            response.body = std::move(x.body);
            return response;
        }
        last_problem = transport_failed ? x.error : "HTTP " + std::to_string(x.status);
        if (attempt == endpoint_.max_retries) break;
        std::uniform_real_distribution<double> jitter(0.5, 1.5);
        const double backoff = std::min(30.0, endpoint_.backoff_base_s * std::pow(2.0, attempt)) * jitter(jitter_source);
        wait_for(retry_after_seconds(x.retry_after, backoff));
    }
    throw EngineError("the engine at " + url + " failed " + std::to_string(response.attempts) + " times (last: " +
                      redacted(last_problem, endpoint_.api_key) +
                      "); check that the server is running and reachable, or raise timeout_s/max_retries in [engines.*]");
}

}  // namespace dramaloc::engines
