#include "store/object_store.hpp"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "core/cancel.hpp"
#include "core/error.hpp"

namespace dramaloc::store {

namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

// Object names are keys and relative paths of ours (hex digits, letters, '.', '-', '_', '/'):
// anything else is percent-encoded.
std::string encode_path(const std::string& name) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : name) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

// The first <Code> and <Message> of an S3 error document, for a one-line message.
std::string s3_error(const std::string& body) {
    const auto tag = [&](const std::string& name) {
        const auto a = body.find("<" + name + ">");
        const auto b = body.find("</" + name + ">");
        return a == std::string::npos || b == std::string::npos || b < a ? std::string() : body.substr(a + name.size() + 2, b - a - name.size() - 2);
    };
    const std::string code = tag("Code"), message = tag("Message");
    if (code.empty()) return body.substr(0, std::min<std::size_t>(body.size(), 120));
    return code + (message.empty() ? "" : ": " + message);
}

class S3ObjectStore final : public ObjectStore {
public:
    explicit S3ObjectStore(S3Location location) : at_(std::move(location)) {
        static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
        (void)init;
    }

    bool get(const std::string& name, const fs::path& file) const override {
        static std::atomic<unsigned> counter{0};
        const fs::path temp = file.string() + ".part." + std::to_string(::getpid()) + "." + std::to_string(counter++);
        std::FILE* out = std::fopen(temp.c_str(), "wb");
        if (!out) throw IoError("cannot write " + temp.string() + ": " + std::generic_category().message(errno));
        std::string error_body;
        struct Sink {
            std::FILE* file;
            std::string* error_body;
        } sink{out, &error_body};
        long status = 0;
        try {
            status = request("GET", name, [&](CURL* h) {
                curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
                curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* user) -> size_t {
                    auto* s = static_cast<Sink*>(user);
                    // Until the status is known the body may be an error document: keep both.
                    if (s->error_body->size() < 4096) s->error_body->append(data, std::min<size_t>(size * n, 4096));
                    return std::fwrite(data, size, n, s->file) * size;
                });
            });
        } catch (...) {
            std::fclose(out);
            fs::remove(temp);
            throw;
        }
        const bool written = std::fclose(out) == 0;
        std::error_code ec;
        if (status == 404) {
            fs::remove(temp, ec);
            return false;
        }
        if (status < 200 || status > 299) {
            fs::remove(temp, ec);
            throw EngineError(describe() + ": GET " + name + " answered " + std::to_string(status) + " (" + s3_error(error_body) + ")");
        }
        if (!written) throw IoError("cannot write " + temp.string());
        fs::rename(temp, file, ec);
        if (ec) throw IoError("cannot write " + file.string() + ": " + ec.message());
        return true;
    }

    void put(const std::string& name, const fs::path& file) const override {
        std::ifstream in(file, std::ios::binary);
        if (!in) throw IoError("cannot read " + file.string());
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::string answer;
        const long status = request("PUT", name, [&](CURL* h) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, bytes.data());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
            curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
            curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* user) -> size_t {
                static_cast<std::string*>(user)->append(data, size * n);
                return size * n;
            });
        });
        if (status < 200 || status > 299)
            throw EngineError(describe() + ": PUT " + name + " answered " + std::to_string(status) + " (" + s3_error(answer) + ")");
    }

    std::string describe() const override {
        return "s3://" + at_.bucket + (at_.prefix.empty() ? "" : "/" + at_.prefix) + " at " + at_.endpoint;
    }

private:
    template <typename Setup>
    long request(const char* method, const std::string& name, Setup&& setup) const {
        throw_if_cancelled();
        CURL* h = curl_easy_init();
        if (!h) throw EngineError("libcurl could not start a request");
        const std::string url = at_.endpoint + "/" + encode_path(at_.bucket) + "/" +
                                encode_path(at_.prefix.empty() ? name : at_.prefix + "/" + name);
        const std::string sigv4 = "aws:amz:" + at_.region + ":s3";
        const std::string user = at_.access_key + ":" + at_.secret_key;
        curl_slist* headers = curl_slist_append(nullptr, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
        headers = curl_slist_append(headers, "Expect:");
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4.c_str());
        curl_easy_setopt(h, CURLOPT_USERPWD, user.c_str());
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);  // a stalled transfer ends after 60 s
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, +[](void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> int {
            return cancel_requested() ? 1 : 0;  // Ctrl-C ends a transfer at once
        });
        setup(h);
        char error[CURL_ERROR_SIZE] = "";
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
        const CURLcode rc = curl_easy_perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        throw_if_cancelled();
        if (rc != CURLE_OK)
            throw EngineError(describe() + ": " + method + " " + name + " failed (" + (error[0] ? error : curl_easy_strerror(rc)) +
                              "); is the endpoint right (DRAMALOC_S3_ENDPOINT) and the server up?");
        return status;
    }

    S3Location at_;
};

}  // namespace

S3Location s3_location_from_url(const std::string& url) {
    if (url.rfind("s3://", 0) != 0) throw ConfigError("--artifacts " + url + ": use s3://BUCKET/PREFIX, or give a folder with --store");
    S3Location at;
    const std::string rest = url.substr(5);
    const auto slash = rest.find('/');
    at.bucket = rest.substr(0, slash);
    if (slash != std::string::npos) at.prefix = rest.substr(slash + 1);
    while (!at.prefix.empty() && at.prefix.back() == '/') at.prefix.pop_back();
    if (at.bucket.empty()) throw ConfigError("--artifacts " + url + ": no bucket; use s3://BUCKET/PREFIX");
    if (!env("AWS_REGION").empty()) at.region = env("AWS_REGION");
    else if (!env("AWS_DEFAULT_REGION").empty()) at.region = env("AWS_DEFAULT_REGION");
    at.endpoint = !env("DRAMALOC_S3_ENDPOINT").empty() ? env("DRAMALOC_S3_ENDPOINT")
                  : !env("AWS_ENDPOINT_URL").empty()   ? env("AWS_ENDPOINT_URL")
                                                       : "https://s3." + at.region + ".amazonaws.com";
    while (!at.endpoint.empty() && at.endpoint.back() == '/') at.endpoint.pop_back();
    at.access_key = env("AWS_ACCESS_KEY_ID");
    at.secret_key = env("AWS_SECRET_ACCESS_KEY");
    if (at.access_key.empty() || at.secret_key.empty())
        throw ConfigError("--artifacts " + url + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the object store");
    return at;
}

std::unique_ptr<ObjectStore> make_s3_object_store(const S3Location& location) { return std::make_unique<S3ObjectStore>(location); }

}  // namespace dramaloc::store
