#include "support/fake_openai_server.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <regex>

#include "core/text_codec.hpp"
#include "subtitles/text.hpp"

namespace dramaloc::test {

using nlohmann::json;

FakeOpenAiServer::FakeOpenAiServer() : server_(std::make_unique<httplib::Server>()) {
    server_->Post("/v1/chat/completions", [this](const httplib::Request& req, httplib::Response& res) {
        const int now = ++in_flight_;
        for (int seen = max_in_flight_.load(); now > seen && !max_in_flight_.compare_exchange_weak(seen, now);) {
        }
        std::optional<Fault> fault;
        json request;
        int latency = 0, slow = 0;
        std::string retry_after;
        try {
            request = json::parse(req.body);
        } catch (const json::exception&) {
            --in_flight_;
            res.status = 400;
            res.set_content(R"({"error":{"message":"body is not JSON"}})", "application/json");
            return;
        }
        {
            std::lock_guard lock(mutex_);
            fault = record(request, req.get_header_value("Authorization"));
            if (!fault && persistent_) {
                const auto user = json::parse(request["messages"][1]["content"].get<std::string>());
                if (user["translate"].size() > persistent_->first) fault = persistent_->second;
            }
            latency = latency_ms_;
            slow = slow_ms_;
            retry_after = retry_after_;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(latency));
        if (fault == Fault::Slow) std::this_thread::sleep_for(std::chrono::milliseconds(slow));
        if (fault == Fault::TooManyRequests) {
            res.status = 429;
            res.set_header("Retry-After", retry_after);
            res.set_content(R"({"error":{"message":"rate limited"}})", "application/json");
        } else if (fault == Fault::ServerError) {
            res.status = 500;
            res.set_content(R"({"error":{"message":"internal"}})", "application/json");
        } else if (fault == Fault::RejectSchema && request.contains("response_format")) {
            res.status = 400;
            res.set_content(R"({"error":{"message":"response_format json_schema is not supported"}})", "application/json");
        } else {
            res.set_content(answer(request, fault).dump(), "application/json");
        }
        --in_flight_;
    });
    server_->Post("/v1/audio/transcriptions", [this](const httplib::Request& req, httplib::Response& res) {
        std::optional<Fault> fault;
        Upload upload;
        std::vector<std::string> words;
        {
            std::lock_guard lock(mutex_);
            fault = record(json::object(), req.get_header_value("Authorization"));
            words = transcript_;
        }
        for (const auto& [name, part] : req.files) {
            if (name == "file") {
                upload.file_name = part.filename;
                upload.content_type = part.content_type;
                // A 44-byte header, then 16-bit mono samples.
                upload.seconds = part.content.size() > 44 ? static_cast<double>(part.content.size() - 44) / (2.0 * 16000.0) : 0;
            } else {
                upload.fields.emplace(name, part.content);
            }
        }
        {
            std::lock_guard lock(mutex_);
            uploads_.push_back(upload);
        }
        if (fault == Fault::ServerError) {
            res.status = 500;
            res.set_content(R"({"error":{"message":"internal"}})", "application/json");
            return;
        }
        if (fault == Fault::Malformed) {
            res.set_content("{\"text\": \"cut", "application/json");
            return;
        }
        json out_words = json::array();
        std::string text;
        const double step = words.empty() ? 0 : upload.seconds / static_cast<double>(words.size());
        for (std::size_t i = 0; i < words.size(); ++i) {
            out_words.push_back({{"word", " " + words[i]}, {"start", step * static_cast<double>(i)}, {"end", step * (static_cast<double>(i) + 0.8)}});
            text += (text.empty() ? "" : " ") + words[i];
        }
        json answer = {{"task", "transcribe"}, {"duration", upload.seconds}, {"text", text}, {"words", out_words},
                       {"segments", json::array({{{"id", 0}, {"start", 0.0}, {"end", upload.seconds}, {"text", text}}})}};
        if (upload.fields.count("language")) answer["language"] = upload.fields.find("language")->second;
        res.set_content(answer.dump(), "application/json");
    });
    server_->Post("/v1/audio/speech", [this](const httplib::Request& req, httplib::Response& res) {
        std::optional<Fault> fault;
        Speech speech;
        std::string audio_field, text_field;
        {
            std::lock_guard lock(mutex_);
            audio_field = clone_audio_field_;
            text_field = clone_text_field_;
        }
        json request;
        if (req.is_multipart_form_data()) {
            // A cloning form: the text fields, and the reference clip as a file part.
            speech.transport = "multipart";
            request = json::object();
            for (const auto& [name, part] : req.files) {
                if (name != audio_field) {
                    request[name] = part.content;
                } else if (part.filename.empty()) {  // a clip is an upload, not a text field
                    res.status = 400;
                    res.set_content(R"({"error":{"message":"the reference clip must be a file part"}})", "application/json");
                    return;
                } else {
                    speech.reference_wav = part.content;
                }
            }
        } else {
            speech.transport = "json";
            try {
                request = json::parse(req.body);
                if (request.contains(audio_field)) {
                    speech.reference_wav = base64_decode(request.at(audio_field).get<std::string>(), audio_field);
                    request.erase(audio_field);
                }
            } catch (const std::exception&) {  // not JSON, or the clip not base64
                res.status = 400;
                res.set_content(R"({"error":{"message":"bad request body"}})", "application/json");
                return;
            }
        }
        if (request.contains(text_field)) speech.reference_text = request.at(text_field).get<std::string>();
        speech.request = request;
        {
            std::lock_guard lock(mutex_);
            fault = record(request, req.get_header_value("Authorization"));
            speeches_.push_back(speech);
        }
        if (fault == Fault::ServerError) {
            res.status = 500;
            res.set_content(R"({"error":{"message":"internal"}})", "application/json");
            return;
        }
        if (!speech.reference_wav.empty() &&
            (speech.reference_wav.size() < 44 || speech.reference_wav.compare(0, 4, "RIFF") != 0 || speech.reference_wav.compare(8, 4, "WAVE") != 0)) {
            res.status = 400;
            res.set_content(R"({"error":{"message":"the reference clip is not a WAV file"}})", "application/json");
            return;
        }
        // A tone as long as the text (300 ms + 60 ms a character), its pitch set by the voice.
        const std::string text = request.value("input", "");
        const std::size_t characters = utf8_length(text);
        // A cloned voice sounds like its reference: the pitch follows the clip, not the voice name.
        const std::string voice = speech.reference_wav.empty() ? request.value("voice", "") : speech.reference_wav;
        const double frequency = 150.0 + static_cast<double>(std::hash<std::string>{}(voice) % 300);
        const int rate = 24000;
        const auto frames = static_cast<std::size_t>(rate * (0.3 + 0.06 * static_cast<double>(characters)));
        std::string wav;
        const auto put = [&wav](std::uint32_t v, int bytes) {
            for (int i = 0; i < bytes; ++i) wav.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
        };
        wav += "RIFF";
        put(static_cast<std::uint32_t>(36 + frames * 2), 4);
        wav += "WAVEfmt ";
        put(16, 4), put(1, 2), put(1, 2), put(rate, 4), put(rate * 2, 4), put(2, 2), put(16, 2);
        wav += "data";
        put(static_cast<std::uint32_t>(frames * 2), 4);
        for (std::size_t i = 0; i < frames; ++i)
            put(static_cast<std::uint16_t>(static_cast<std::int16_t>(8000.0 * std::sin(2.0 * 3.14159265358979 * frequency * static_cast<double>(i) / rate))), 2);
        res.set_content(wav, "audio/wav");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // The socket listens from bind_to_any_port on; wait until the accept loop runs too.
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

std::optional<Fault> FakeOpenAiServer::record(const json& request, const std::string& authorization) {
    received_.push_back(request);
    authorization_.push_back(authorization);
    if (queued_.empty()) return std::nullopt;
    const Fault next = queued_.front();
    queued_.pop_front();
    return next;
}

FakeOpenAiServer::~FakeOpenAiServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
}

std::string FakeOpenAiServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

void FakeOpenAiServer::translate(const std::string& to, const std::string& source, const std::string& target) {
    std::lock_guard lock(mutex_);
    table_[{to, source}] = target;
}

void FakeOpenAiServer::queue(std::vector<Fault> faults) {
    std::lock_guard lock(mutex_);
    queued_.insert(queued_.end(), faults.begin(), faults.end());
}

void FakeOpenAiServer::always_for_batches_over(std::size_t lines, Fault fault) {
    std::lock_guard lock(mutex_);
    persistent_ = {lines, fault};
}

void FakeOpenAiServer::set_answer_shape(AnswerShape shape) {
    std::lock_guard lock(mutex_);
    shape_ = shape;
}

void FakeOpenAiServer::refuse_language(const std::string& to, const std::string& prose) {
    std::lock_guard lock(mutex_);
    refusals_[to] = prose;
}

void FakeOpenAiServer::accept_language(const std::string& to) {
    std::lock_guard lock(mutex_);
    refusals_.erase(to);
}

void FakeOpenAiServer::set_latency_ms(int ms) {
    std::lock_guard lock(mutex_);
    latency_ms_ = ms;
}
void FakeOpenAiServer::set_slow_ms(int ms) {
    std::lock_guard lock(mutex_);
    slow_ms_ = ms;
}
void FakeOpenAiServer::set_retry_after(std::string v) {
    std::lock_guard lock(mutex_);
    retry_after_ = std::move(v);
}
void FakeOpenAiServer::set_transcript(std::vector<std::string> words) {
    std::lock_guard lock(mutex_);
    transcript_ = std::move(words);
}
void FakeOpenAiServer::set_clone_fields(std::string audio_field, std::string text_field) {
    std::lock_guard lock(mutex_);
    clone_audio_field_ = std::move(audio_field);
    clone_text_field_ = std::move(text_field);
}

std::vector<FakeOpenAiServer::Speech> FakeOpenAiServer::speeches() const {
    std::lock_guard lock(mutex_);
    return speeches_;
}

std::vector<FakeOpenAiServer::Upload> FakeOpenAiServer::uploads() const {
    std::lock_guard lock(mutex_);
    return uploads_;
}
int FakeOpenAiServer::requests() const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(received_.size());
}
int FakeOpenAiServer::max_in_flight() const { return max_in_flight_.load(); }
std::vector<json> FakeOpenAiServer::received() const {
    std::lock_guard lock(mutex_);
    return received_;
}
std::vector<std::string> FakeOpenAiServer::authorization_headers() const {
    std::lock_guard lock(mutex_);
    return authorization_;
}

json FakeOpenAiServer::answer(const json& request, std::optional<Fault> fault) const {
    const std::string system = request["messages"][0]["content"].get<std::string>();
    const auto chat_answer = [&](const std::string& content) {
        return json{{"id", "chatcmpl-test"},
                    {"object", "chat.completion"},
                    {"model", request.value("model", "")},
                    {"choices", json::array({{{"index", 0}, {"finish_reason", "stop"}, {"message", {{"role", "assistant"}, {"content", content}}}}})}};
    };
    if (system.rfind("You shorten", 0) == 0) {
        // "Shorten": the leading words of the line that fit in max_chars characters, counted as
        // a reader counts them (grapheme clusters: a Thai tone mark is no character).
        const json user = json::parse(request["messages"][1]["content"].get<std::string>());
        const std::string text = user["text"].get<std::string>();
        const auto limit = user["max_chars"].get<std::size_t>();
        std::string out;
        std::size_t last_space = 0;
        bool cut = false;
        for (std::size_t i = 0; i < text.size();) {
            const std::size_t next = i + std::max<std::size_t>(1, utf8_sequence_length(text, i));
            if (subtitles::grapheme_count(std::string_view(text).substr(0, next)) > limit) {
                cut = text[i] != ' ';  // cut inside a word: back to the word's start
                break;
            }
            if (text[i] == ' ') last_space = i;
            out = text.substr(0, next);
            i = next;
        }
        if (cut && last_space > 0) out.resize(last_space);  // whole words where there are words
        return chat_answer(json{{"text", out}}.dump());
    }
    // The target language is the tag in "... to Spanish (es) for subtitles" of the system prompt.
    std::smatch m;
    std::string to = "?";
    if (std::regex_search(system, m, std::regex(R"( to [^(]*\(([A-Za-z-]+)\) for subtitles)"))) to = m[1].str();
    const json user = json::parse(request["messages"][1]["content"].get<std::string>());
    json lines = json::array();
    AnswerShape shape;
    {
        std::lock_guard lock(mutex_);
        shape = shape_;
        if (const auto refusal = refusals_.find(to); refusal != refusals_.end()) return chat_answer(refusal->second);
        for (const auto& l : user["translate"]) {
            const std::string text = l["text"].get<std::string>();
            const auto it = table_.find({to, text});
            lines.push_back({{"id", l["id"]}, {"text", it != table_.end() ? it->second : "[" + to + "] " + text}});
        }
    }
    std::string content;
    if (fault == Fault::Malformed) {
        content = "Sure! Here are the lines: {\"lines\": [{\"id\": 1, \"text\": ";  // cut off
    } else {
        if (fault == Fault::MissingId && !lines.empty()) lines.erase(lines.size() - 1);
        if (fault == Fault::ExtraLine) lines.push_back({{"id", 9999}, {"text", "an extra line"}});
        if (fault == Fault::GlossaryMiss)  // an answer that ignores the required renderings
            for (std::size_t i = 0; i < lines.size(); ++i) lines[i]["text"] = "untranslated name: " + user["translate"][i]["text"].get<std::string>();
        const std::string object = json{{"lines", lines}}.dump();
        switch (shape) {
            case AnswerShape::Fenced: content = "```json\n" + object + "\n```"; break;
            case AnswerShape::Bare: content = object; break;
            case AnswerShape::ProseAround: content = "Here are the translations you asked for:\n" + object + "\nLet me know if you need more."; break;
            case AnswerShape::BareArray: content = lines.dump(); break;
            case AnswerShape::RequestKey: content = json{{"translate", lines}}.dump(); break;
        }
    }
    return {{"id", "chatcmpl-test"},
            {"object", "chat.completion"},
            {"model", request.value("model", "")},
            {"choices", json::array({{{"index", 0}, {"finish_reason", "stop"}, {"message", {{"role", "assistant"}, {"content", content}}}}})}};
}

}  // namespace dramaloc::test
