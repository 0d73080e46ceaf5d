#pragma once
// A small OpenAI-compatible server for protocol tests, on 127.0.0.1 and a free port, in a
// thread of the test. /v1/chat/completions answers dramaloc's translation requests from a
// table (deterministically), and can be told to misbehave: slow answers, 429 with
// Retry-After, 500, malformed JSON, missing ids, a wrong line count, a glossary miss, or
// rejecting response_format. It records what it received. This is a double for an external
// service's protocol, not for any part of dramaloc.
#include <atomic>
#include <deque>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engines/engine_settings.hpp"

namespace httplib {
class Server;
}

namespace dramaloc::test {

enum class Fault { Slow, TooManyRequests, ServerError, Malformed, MissingId, ExtraLine, GlossaryMiss, RejectSchema };

// How the translations are written in an answer: models do not all keep to the JSON asked for.
enum class AnswerShape {
    Fenced,      // ```json {"lines": [...]} ``` (the default)
    Bare,        // {"lines": [...]} and nothing else
    ProseAround, // words, the object, more words
    BareArray,   // [{"id", "text"}, ...]
    RequestKey,  // {"translate": [...]}, the request's own key
};

class FakeOpenAiServer {
public:
    FakeOpenAiServer();
    ~FakeOpenAiServer();
    FakeOpenAiServer(const FakeOpenAiServer&) = delete;
    FakeOpenAiServer& operator=(const FakeOpenAiServer&) = delete;

    std::string base_url() const;  // "http://127.0.0.1:PORT/v1"
    // Settings of an "openai" engine pointed at this server, for `model` (tests adjust limits).
    engines::EngineSettings engine(std::string model) const {
        engines::EngineSettings s;
        s.backend = "openai";
        s.url = base_url();
        s.model = std::move(model);
        return s;
    }

    // source text -> translation, per target language tag; unknown texts become "[to] text".
    void translate(const std::string& to, const std::string& source, const std::string& target);
    // Faults for the next requests, one each, in order.
    void queue(std::vector<Fault> faults);
    // A fault for every request that asks for more than `lines` lines.
    void always_for_batches_over(std::size_t lines, Fault fault);
    void set_answer_shape(AnswerShape shape);
    // Every translation request into `to` is answered with `prose` and no JSON (a model that
    // refuses, or talks instead); other languages are answered as usual.
    void refuse_language(const std::string& to, const std::string& prose);
    void accept_language(const std::string& to);  // answers `to` as usual again
    void set_latency_ms(int ms);          // added to every answer
    void set_slow_ms(int ms);             // what Fault::Slow waits (default 3000)
    void set_retry_after(std::string v);  // Retry-After of Fault::TooManyRequests (default "1")

    // /v1/audio/transcriptions: these words, spread evenly over each uploaded chunk.
    void set_transcript(std::vector<std::string> words);
    struct Upload {
        std::multimap<std::string, std::string> fields;  // form fields (not the file)
        std::string file_name, content_type;
        double seconds = 0;  // of the WAV file sent (16-bit mono 16 kHz expected)
    };
    std::vector<Upload> uploads() const;

    // /v1/audio/speech: a tone as long as the text, pitched by the voice name or, when a
    // reference clip comes with the request (base64 in JSON, or a multipart file part, in the
    // fields named here), by the clip. A clip that is not a WAV is refused with 400.
    void set_clone_fields(std::string audio_field, std::string text_field);
    struct Speech {
        nlohmann::json request;     // the fields, without the clip
        std::string transport;      // "json" or "multipart"
        std::string reference_wav;  // the clip's bytes; empty when none was sent
        std::string reference_text;
    };
    std::vector<Speech> speeches() const;

    int requests() const;
    int max_in_flight() const;
    std::vector<nlohmann::json> received() const;          // request bodies, in order of arrival
    std::vector<std::string> authorization_headers() const;

private:
    nlohmann::json answer(const nlohmann::json& request, std::optional<Fault> fault) const;
    // Keeps what came in and takes the next queued fault; the caller holds mutex_.
    std::optional<Fault> record(const nlohmann::json& request, const std::string& authorization);

    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    int port_ = 0;
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, std::string> table_;
    std::deque<Fault> queued_;
    std::optional<std::pair<std::size_t, Fault>> persistent_;
    int latency_ms_ = 0;
    AnswerShape shape_ = AnswerShape::Fenced;
    std::map<std::string, std::string> refusals_;
    int slow_ms_ = 3000;
    std::string retry_after_ = "1";
    std::vector<nlohmann::json> received_;
    std::vector<std::string> transcript_;
    std::vector<Upload> uploads_;
    std::string clone_audio_field_ = "reference_audio";
    std::string clone_text_field_ = "reference_text";
    std::vector<Speech> speeches_;
    std::vector<std::string> authorization_;
    std::atomic<int> in_flight_{0};
    std::atomic<int> max_in_flight_{0};
};

}  // namespace dramaloc::test
