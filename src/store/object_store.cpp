#include "store/object_store.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <system_error>

#include "core/error.hpp"
#include "net/http_client.hpp"

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

net::HttpEndpoint endpoint_of(const S3Location& at) {
    net::HttpEndpoint e;
    e.base_url = at.endpoint;
    e.sigv4 = "aws:amz:" + at.region + ":s3";
    e.access_key = at.access_key;
    e.secret_key = at.secret_key;
    e.timeout_s = 0;  // artifacts may be large: no limit on a transfer, but 60 s without a byte ends it
    e.max_retries = 3;
    e.backoff_base_s = 0.25;
    e.max_concurrency = 16;
    e.what = "the object store";
    e.advice = "is the endpoint right (DRAMALOC_S3_ENDPOINT) and the server up?";
    return e;
}

class S3ObjectStore final : public ObjectStore {
public:
    explicit S3ObjectStore(S3Location location) : at_(std::move(location)), client_(endpoint_of(at_)) {}

    bool get(const std::string& name, const fs::path& file) const override {
        static std::atomic<unsigned> counter{0};
        net::HttpRequest r = request("GET", name);
        r.response_file = file.string() + ".part." + std::to_string(::getpid()) + "." + std::to_string(counter++);
        const net::HttpResponse answer = client_.send(r);
        if (answer.status == 404) return false;
        if (answer.status < 200 || answer.status > 299)
            throw EngineError(describe() + ": GET " + name + " answered " + std::to_string(answer.status) + " (" + s3_error(answer.body) + ")");
        std::error_code ec;
        fs::rename(r.response_file, file, ec);
        if (ec) {
            fs::remove(r.response_file, ec);
            throw IoError("cannot write " + file.string() + ": " + ec.message());
        }
        return true;
    }

    void put(const std::string& name, const fs::path& file) const override {
        net::HttpRequest r = request("PUT", name);
        r.body_file = file;
        const net::HttpResponse answer = client_.send(r);
        if (answer.status < 200 || answer.status > 299)
            throw EngineError(describe() + ": PUT " + name + " answered " + std::to_string(answer.status) + " (" + s3_error(answer.body) + ")");
    }

    std::string describe() const override {
        return "s3://" + at_.bucket + (at_.prefix.empty() ? "" : "/" + at_.prefix) + " at " + at_.endpoint;
    }

private:
    // Path-style: /BUCKET/PREFIX/NAME. The payload is not hashed (a whole artifact would be
    // read twice); the transport's own checks and S3's atomic PUT keep it whole.
    net::HttpRequest request(const char* method, const std::string& name) const {
        net::HttpRequest r;
        r.method = method;
        r.path = "/" + encode_path(at_.bucket) + "/" + encode_path(at_.prefix.empty() ? name : at_.prefix + "/" + name);
        r.headers = {"x-amz-content-sha256: UNSIGNED-PAYLOAD", "Expect:"};
        return r;
    }

    S3Location at_;
    net::HttpClient client_;
};

}  // namespace

S3Location s3_location_from_url(const std::string& url, const std::string& option) {
    if (url.rfind("s3://", 0) != 0) throw ConfigError(option + " " + url + ": use s3://BUCKET/PREFIX, or give a folder");
    S3Location at;
    const std::string rest = url.substr(5);
    const auto slash = rest.find('/');
    at.bucket = rest.substr(0, slash);
    if (slash != std::string::npos) at.prefix = rest.substr(slash + 1);
    while (!at.prefix.empty() && at.prefix.back() == '/') at.prefix.pop_back();
    if (at.bucket.empty()) throw ConfigError(option + " " + url + ": no bucket; use s3://BUCKET/PREFIX");
    if (!env("AWS_REGION").empty()) at.region = env("AWS_REGION");
    else if (!env("AWS_DEFAULT_REGION").empty()) at.region = env("AWS_DEFAULT_REGION");
    at.endpoint = !env("DRAMALOC_S3_ENDPOINT").empty() ? env("DRAMALOC_S3_ENDPOINT")
                  : !env("AWS_ENDPOINT_URL").empty()   ? env("AWS_ENDPOINT_URL")
                                                       : "https://s3." + at.region + ".amazonaws.com";
    while (!at.endpoint.empty() && at.endpoint.back() == '/') at.endpoint.pop_back();
    at.access_key = env("AWS_ACCESS_KEY_ID");
    at.secret_key = env("AWS_SECRET_ACCESS_KEY");
    if (at.access_key.empty() || at.secret_key.empty())
        throw ConfigError(option + " " + url + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the object store");
    return at;
}

std::unique_ptr<ObjectStore> make_s3_object_store(const S3Location& location) { return std::make_unique<S3ObjectStore>(location); }

}  // namespace dramaloc::store
