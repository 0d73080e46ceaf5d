#include "net/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <system_error>
#include <thread>

#include "core/cancel.hpp"
#include "core/error.hpp"

namespace dramaloc::net {
namespace fs = std::filesystem;

namespace {

struct CurlDeleter {
    void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
struct MimeDeleter {
    void operator()(curl_mime* m) const noexcept { curl_mime_free(m); }
};
struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;
using MimePtr = std::unique_ptr<curl_mime, MimeDeleter>;
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

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
    explicit Gate(int limit) : free_(std::max(1, limit)) {}
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

// One exchange: what was sent, where the answer goes, and what came back.
struct Exchange {
    CURL* curl = nullptr;
    std::FILE* response_file = nullptr;  // a 2xx body goes here when set
    bool write_failed = false;
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
    auto* x = static_cast<Exchange*>(user);
    long status = 0;
    curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
    if (x->response_file && status / 100 == 2) {
        if (std::fwrite(data, size, n, x->response_file) != n) {
            x->write_failed = true;
            return 0;  // aborts the transfer
        }
        return size * n;
    }
    x->body.append(data, size * n);
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
            static_cast<Exchange*>(user)->retry_after = value;
        }
    }
    return size * n;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t n, void* user) {
    return std::fread(buffer, 1, size * n, static_cast<std::FILE*>(user));
}

FilePtr open_file(const fs::path& file, const char* mode) {
    FilePtr f(std::fopen(file.c_str(), mode));
    if (!f) throw IoError("cannot " + std::string(*mode == 'r' ? "read " : "write ") + file.string() + ": " +
                          std::generic_category().message(errno));
    return f;
}

// What a request sends: the body (in memory, from a file or a form) and the method.
struct Sent {
    FilePtr body_file;
    MimePtr mime;
};

void set_body(CURL* c, const HttpRequest& r, Sent& sent) {
    if (r.form) {
        sent.mime.reset(curl_mime_init(c));
        for (const auto& [name, value] : r.form->first) {
            curl_mimepart* part = curl_mime_addpart(sent.mime.get());
            curl_mime_name(part, name.c_str());
            curl_mime_data(part, value.data(), value.size());
        }
        const FilePart& file = r.form->second;
        curl_mimepart* part = curl_mime_addpart(sent.mime.get());
        curl_mime_name(part, file.field.c_str());
        curl_mime_filename(part, file.file_name.c_str());
        curl_mime_type(part, file.content_type.c_str());
        curl_mime_data(part, file.bytes.data(), file.bytes.size());
        curl_easy_setopt(c, CURLOPT_MIMEPOST, sent.mime.get());
    } else if (!r.body_file.empty()) {
        sent.body_file = open_file(r.body_file, "rb");
        std::error_code ec;
        const auto size = fs::file_size(r.body_file, ec);
        if (ec) throw IoError("cannot read " + r.body_file.string() + ": " + ec.message());
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(c, CURLOPT_READDATA, sent.body_file.get());
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    } else if (r.method != "GET" && r.method != "HEAD") {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    }
    if (r.method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (r.method != "POST" || r.form || !r.body_file.empty()) curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
}

void set_limits(CURL* c, const HttpEndpoint& e) {
    if (e.timeout_s > 0) {
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(e.timeout_s * 1000));
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min(e.timeout_s, 10.0) * 1000));
    } else {
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);  // a stalled transfer ends after 60 s
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    }
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for timeouts
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");  // loopback servers never via a proxy
}

Exchange exchange_once(const HttpEndpoint& e, const std::string& url, const HttpRequest& r) {
    init_curl_once();
    CurlPtr curl(curl_easy_init());
    if (!curl) throw EngineError("libcurl could not start (out of memory?)");
    CURL* c = curl.get();
    Exchange x;
    x.curl = c;
    FilePtr out;
    if (!r.response_file.empty()) out = open_file(r.response_file, "wb");  // each attempt starts the file anew
    x.response_file = out.get();
    SlistPtr headers;
    for (const auto& h : r.headers) headers.reset(curl_slist_append(headers.release(), h.c_str()));
    if (!e.api_key.empty()) headers.reset(curl_slist_append(headers.release(), ("Authorization: Bearer " + e.api_key).c_str()));
    const std::string user = e.access_key + ":" + e.secret_key;
    if (!e.sigv4.empty()) {
        curl_easy_setopt(c, CURLOPT_AWS_SIGV4, e.sigv4.c_str());
        curl_easy_setopt(c, CURLOPT_USERPWD, user.c_str());
    }
    Sent sent;
    set_body(c, r, sent);
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    set_limits(c, e);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    x.code = curl_easy_perform(c);
    if (x.code == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &x.status);
    x.error = error[0] ? error : curl_easy_strerror(x.code);
    if (out && std::fclose(out.release()) != 0) x.write_failed = true;
    if (x.write_failed) throw IoError("cannot write " + r.response_file.string() + " (is the disk full?)");
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

std::string without_secrets(std::string text, const HttpEndpoint& e) { return redacted(redacted(std::move(text), e.api_key), e.secret_key); }

void log_exchange(const HttpEndpoint& e, const HttpRequest& r, const std::string& url, const Exchange& x, double ms) {
    std::error_code ec;
    const std::size_t size = r.form ? r.form->second.bytes.size() : r.body_file.empty() ? r.body.size() : fs::file_size(r.body_file, ec);
    std::cerr << "dramaloc: http " << r.method << " " << url << " (" << size << " bytes) -> "
              << (x.code == CURLE_OK ? std::to_string(x.status) : x.error) << " in " << static_cast<long>(ms)
              << " ms: " << without_secrets(x.body.substr(0, 400), e) << "\n";
}

// One attempt through the endpoint's gate; removes a response file that does not hold a 2xx body.
Exchange attempt(const HttpEndpoint& e, const HttpRequest& r, const std::string& url) {
    Gate& gate = Gate::for_endpoint(e.base_url, e.max_concurrency);
    gate.enter();
    const auto started = std::chrono::steady_clock::now();
    Exchange x;
    try {
        x = exchange_once(e, url, r);
    } catch (...) {
        gate.leave();
        std::error_code ec;
        if (!r.response_file.empty()) fs::remove(r.response_file, ec);
        throw;
    }
    gate.leave();
    if (!r.response_file.empty() && (x.code != CURLE_OK || x.status / 100 != 2)) {
        std::error_code ec;
        fs::remove(r.response_file, ec);
    }
    if (debug_logging())
        log_exchange(e, r, url, x, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    return x;
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

HttpClient::HttpClient(HttpEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

HttpResponse HttpClient::post_json(std::string_view path, const nlohmann::json& body) const {
    HttpRequest r;
    r.path = path;
    r.headers = {"Content-Type: application/json"};
    r.body = body.dump();
    return send(r);
}

HttpResponse HttpClient::post_multipart(std::string_view path, const std::vector<std::pair<std::string, std::string>>& fields,
                                        const FilePart& file) const {
    HttpRequest r;
    r.path = path;
    r.form.emplace(fields, file);
    return send(r);
}

HttpResponse HttpClient::send(const HttpRequest& request) const {
    const std::string url = endpoint_.base_url + request.path;
    thread_local std::mt19937 jitter_source(std::random_device{}());
    HttpResponse response;
    std::string last_problem;
    for (int tries = 0; tries <= endpoint_.max_retries; ++tries) {
        throw_if_cancelled();
        Exchange x = attempt(endpoint_, request, url);
        throw_if_cancelled();  // an aborted transfer is the user's Ctrl-C, not the server's failure
        ++response.attempts;
        const bool transport_failed = x.code != CURLE_OK;
        const bool retryable_status = x.status == 429 || (x.status >= 500 && x.status <= 599);
        if (!transport_failed && !retryable_status) {
            response.status = x.status;
            response.body = std::move(x.body);
            return response;
        }
        last_problem = transport_failed ? x.error : "HTTP " + std::to_string(x.status);
        if (tries == endpoint_.max_retries) break;
        std::uniform_real_distribution<double> jitter(0.5, 1.5);
        const double backoff = std::min(30.0, endpoint_.backoff_base_s * std::pow(2.0, tries)) * jitter(jitter_source);
        wait_for(retry_after_seconds(x.retry_after, backoff));
    }
    throw EngineError(endpoint_.what + " at " + url + " failed " + std::to_string(response.attempts) +
                      " times (last: " + without_secrets(last_problem, endpoint_) + "); " + endpoint_.advice);
}

}  // namespace dramaloc::net
