#include "engines/espeak/espeak_synthesizer.hpp"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "core/error.hpp"
#include "core/subprocess.hpp"

namespace dramaloc::engines {
namespace {

constexpr const char* kInstallHint = "install espeak-ng-data (apt install espeak-ng-data)";

// Every use of libespeak-ng goes through this lock (it is one global state machine).
std::mutex& espeak_mutex() {
    static std::mutex m;
    return m;
}

// What the parent learns once, at initialisation, and never changes afterwards.
struct EspeakCatalog {
    int sample_rate = 0;
    std::string version;
    std::vector<std::string> languages;  // one code per voice: "en-gb", "en-us", "de"…
    std::vector<std::string> variants;   // "m3", "f2", "klatt"…
};

std::string status_message(espeak_ng_STATUS status) {
    char buf[512] = {};
    espeak_ng_GetStatusCodeMessage(status, buf, sizeof buf);
    return buf;
}

std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c == '_') c = '-';
    }
    return out;
}

bool has_language_prefix(std::string_view code, std::string_view language) {
    if (language.empty()) return true;
    if (code.size() < language.size() || code.substr(0, language.size()) != language) return false;
    return code.size() == language.size() || code[language.size()] == '-';
}

int collect_synth_output(short* wav, int count, espeak_EVENT* events);

// Must be called with espeak_mutex() held.
const EspeakCatalog& catalog_locked() {
    static EspeakCatalog catalog;
    static bool ready = false;
    if (ready) return catalog;

    espeak_ng_InitializePath(nullptr);
    espeak_ng_ERROR_CONTEXT context = nullptr;
    const espeak_ng_STATUS status = espeak_ng_Initialize(&context);
    espeak_ng_ClearErrorContext(&context);
    if (status != ENS_OK) {
        throw EngineError("espeak-ng could not start (" + status_message(status) + "); " + kInstallHint);
    }
    const espeak_ng_STATUS out_status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr);
    if (out_status != ENS_OK) {
        throw EngineError("espeak-ng could not set up in-memory output (" + status_message(out_status) + ")");
    }
    espeak_SetSynthCallback(collect_synth_output);
    catalog.sample_rate = espeak_ng_GetSampleRate();
    catalog.version = std::string("espeak-ng ") + espeak_Info(nullptr);

    const espeak_VOICE** all = espeak_ListVoices(nullptr);
    for (int i = 0; all != nullptr && all[i] != nullptr; ++i) {
        // `languages` is a list of (priority byte, zero-terminated code); the first is the main one.
        const char* languages = all[i]->languages;
        if (languages != nullptr && languages[0] != 0 && languages[1] != 0) {
            catalog.languages.emplace_back(languages + 1);
        }
    }
    std::sort(catalog.languages.begin(), catalog.languages.end());
    catalog.languages.erase(std::unique(catalog.languages.begin(), catalog.languages.end()), catalog.languages.end());

    espeak_VOICE variant_query{};
    variant_query.languages = "variant";
    const espeak_VOICE** variants = espeak_ListVoices(&variant_query);
    for (int i = 0; variants != nullptr && variants[i] != nullptr; ++i) {
        std::string_view id = variants[i]->identifier != nullptr ? variants[i]->identifier : "";
        const auto slash = id.rfind('/');
        if (slash != std::string_view::npos) id.remove_prefix(slash + 1);
        if (!id.empty()) catalog.variants.emplace_back(id);
    }
    std::sort(catalog.variants.begin(), catalog.variants.end());
    ready = true;
    return catalog;
}

std::string join_limited(const std::vector<std::string>& names, std::size_t limit) {
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + names[i];
    if (names.size() > limit) out += ", … (" + std::to_string(names.size()) + " in all)";
    return out;
}

// ---- the child side: runs between fork() and _exit(), so it must not throw or return.

struct WireHeader {
    std::int32_t status = 0;       // espeak_ng_STATUS of voice selection / synthesis
    std::int32_t sample_count = 0;
    std::int32_t word_count = 0;
};
struct WireWord {
    std::int32_t text_position = 0;  // 1-based, in characters
    std::int32_t length = 0;         // characters
    std::int32_t audio_ms = 0;
};

struct Collected {
    std::vector<short> pcm;
    std::vector<WireWord> words;
};
Collected* g_collected = nullptr;  // only ever set in a child process

int collect_synth_output(short* wav, int count, espeak_EVENT* events) {
    if (g_collected == nullptr) return 1;  // abort: nobody is listening
    if (wav != nullptr && count > 0) g_collected->pcm.insert(g_collected->pcm.end(), wav, wav + count);
    for (const espeak_EVENT* e = events; e != nullptr && e->type != espeakEVENT_LIST_TERMINATED; ++e) {
        // espeak also emits zero-length WORD events at clause ends; they are not words.
        if (e->type == espeakEVENT_WORD && e->length > 0) {
            g_collected->words.push_back(WireWord{e->text_position, e->length, e->audio_position});
        }
    }
    return 0;
}

bool write_all(int fd, const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

[[noreturn]] void run_child(int fd, const std::string& voice_name, int rate_wpm, int pitch, const std::string& text) {
    Collected collected;
    g_collected = &collected;
    WireHeader header;
    std::srand(1);  // breath noise uses rand(): same seed, same noise
    espeak_ng_STATUS status = espeak_ng_SetVoiceByName(voice_name.c_str());
    if (status == ENS_OK) {
        espeak_ng_SetParameter(espeakRATE, rate_wpm > 0 ? rate_wpm : espeakRATE_NORMAL, 0);
        espeak_ng_SetParameter(espeakPITCH, pitch > 0 ? pitch : 50, 0);
        status = espeak_ng_Synthesize(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                                      nullptr, nullptr);
    }
    header.status = static_cast<std::int32_t>(status);
    header.sample_count = static_cast<std::int32_t>(collected.pcm.size());
    header.word_count = static_cast<std::int32_t>(collected.words.size());
    const bool ok = write_all(fd, &header, sizeof header) &&
                    write_all(fd, collected.pcm.data(), collected.pcm.size() * sizeof(short)) &&
                    write_all(fd, collected.words.data(), collected.words.size() * sizeof(WireWord));
    ::close(fd);
    ::_exit(ok ? 0 : 1);
}

// ---- the parent side.

struct ChildResult {
    espeak_ng_STATUS status = ENS_OK;
    std::vector<short> pcm;
    std::vector<WireWord> words;
};

// Must be called with espeak_mutex() held (fork must not race another espeak call).
ChildResult synthesize_in_child(const std::string& voice_name, int rate_wpm, int pitch, const std::string& text) {
    const ProcessResult child = run_in_child([&](int fd) { run_child(fd, voice_name, rate_wpm, pitch, text); },
                                             "espeak-ng synthesis", std::chrono::seconds(120));
    const std::string& bytes = child.out;
    const bool exited_ok = child.exit_code == 0;
    WireHeader header;
    if (!exited_ok || bytes.size() < sizeof header) {
        throw EngineError("espeak-ng failed while speaking \"" + text.substr(0, 40) + "\" (synthesis process " +
                          (child.exit_code > 128 ? "killed by signal " + std::to_string(child.exit_code - 128)
                                                 : std::string("exited early")) +
                          "); reinstall libespeak-ng1 and espeak-ng-data");
    }
    std::memcpy(&header, bytes.data(), sizeof header);
    const std::size_t expected = sizeof header + static_cast<std::size_t>(header.sample_count) * sizeof(short) +
                                 static_cast<std::size_t>(header.word_count) * sizeof(WireWord);
    if (header.sample_count < 0 || header.word_count < 0 || bytes.size() != expected) {
        throw EngineError("espeak-ng synthesis process returned malformed output (a bug in dramaloc)");
    }
    ChildResult result;
    result.status = static_cast<espeak_ng_STATUS>(header.status);
    result.pcm.resize(static_cast<std::size_t>(header.sample_count));
    result.words.resize(static_cast<std::size_t>(header.word_count));
    // (memcpy into an empty vector's null data() is undefined, even for zero bytes)
    if (!result.pcm.empty()) {
        std::memcpy(result.pcm.data(), bytes.data() + sizeof header, result.pcm.size() * sizeof(short));
    }
    if (!result.words.empty()) {
        std::memcpy(result.words.data(), bytes.data() + sizeof header + result.pcm.size() * sizeof(short),
                    result.words.size() * sizeof(WireWord));
    }
    return result;
}

// Byte offset of every code point start in UTF-8 `text`, plus text.size() at the end.
std::vector<std::size_t> code_point_offsets(std::string_view text) {
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) offsets.push_back(i);
    }
    offsets.push_back(text.size());
    return offsets;
}

// The word without surrounding punctuation (empty for a token of punctuation alone).
std::string trim_punctuation(std::string_view word) {
    constexpr std::string_view kPunctuation = ".,!?;:\"'()[]";
    const auto first = word.find_first_not_of(kPunctuation);
    if (first == std::string_view::npos) return {};
    const auto last = word.find_last_not_of(kPunctuation);
    return std::string(word.substr(first, last - first + 1));
}

bool is_space_at(std::string_view text, const std::vector<std::size_t>& offsets, std::int32_t index) {
    const std::string_view ch = text.substr(offsets[static_cast<std::size_t>(index)],
                                            offsets[static_cast<std::size_t>(index) + 1] - offsets[static_cast<std::size_t>(index)]);
    return ch == " " || ch == "\t" || ch == "\n" || ch == "\r" || ch == "\u00a0";
}

// The end of a word: the last moment of sound before the next word starts (espeak
// reports only where words begin).
TimeMs sounding_end_ms(const std::vector<float>& mono, int rate, TimeMs start_ms, TimeMs limit_ms) {
    const SampleCount block = rate / 200;  // 5 ms
    const SampleCount first = std::max<SampleCount>(0, ms_to_samples(start_ms, rate));
    SampleCount last = std::min<SampleCount>(static_cast<SampleCount>(mono.size()), ms_to_samples(limit_ms, rate));
    constexpr float kSilence = 0.01f;  // -40 dBFS
    while (last - block >= first) {
        double energy = 0;
        for (SampleCount i = last - block; i < last; ++i) energy += mono[i] * mono[i];
        if (std::sqrt(energy / block) > kSilence) break;
        last -= block;
    }
    return std::max(start_ms + 1, samples_to_ms(last, rate));
}

std::string espeak_voice_name(const VoiceSpec& voice, const EspeakCatalog& catalog) {
    std::string name = voice.voice.empty() ? lowercase(voice.language) : voice.voice;
    if (name.empty()) throw EngineError("espeak-ng needs a voice or a language to speak in (VoiceSpec is empty)");
    const auto plus = name.find('+');
    if (plus != std::string::npos) {
        const std::string variant = name.substr(plus + 1);
        if (!std::binary_search(catalog.variants.begin(), catalog.variants.end(), variant)) {
            throw EngineError("espeak-ng has no voice variant \"" + variant + "\" (in \"" + name + "\"); " +
                              kInstallHint + " or choose one of: " + join_limited(catalog.variants, 200));
        }
    }
    if (voice.rate_wpm != 0 && (voice.rate_wpm < 80 || voice.rate_wpm > 450)) {
        throw InputError("espeak-ng speaking rate must be 80..450 words per minute, got " +
                         std::to_string(voice.rate_wpm));
    }
    if (voice.pitch < 0 || voice.pitch > 100) {
        throw InputError("espeak-ng pitch must be 1..100 (50 is normal), got " + std::to_string(voice.pitch));
    }
    return name;
}

std::string unknown_voice_message(const std::string& name, const EspeakCatalog& catalog) {
    const std::string base = lowercase(name.substr(0, name.find('+')));
    std::vector<std::string> close;
    const std::string primary = base.substr(0, base.find('-'));
    for (const std::string& code : catalog.languages) {
        if (has_language_prefix(code, primary)) close.push_back(code);
    }
    return "espeak-ng has no voice \"" + name + "\"; " + kInstallHint + " or choose one of: " +
           join_limited(close.empty() ? catalog.languages : close, 40);
}

}  // namespace

EspeakSynthesizer::EspeakSynthesizer() {
    std::lock_guard lock(espeak_mutex());
    catalog_locked();
}

int EspeakSynthesizer::native_sample_rate() {
    std::lock_guard lock(espeak_mutex());
    return catalog_locked().sample_rate;
}

std::string EspeakSynthesizer::version() const {
    std::lock_guard lock(espeak_mutex());
    return catalog_locked().version;
}

std::vector<std::string> EspeakSynthesizer::voices(std::string_view language) const {
    std::lock_guard lock(espeak_mutex());
    const EspeakCatalog& catalog = catalog_locked();
    const std::string wanted = lowercase(language);
    std::vector<std::string> out;
    for (const std::string& code : catalog.languages) {
        if (has_language_prefix(code, wanted)) out.push_back(code);
    }
    if (!wanted.empty() && !out.empty()) {
        for (const std::string& variant : catalog.variants) out.push_back(wanted + "+" + variant);
    }
    return out;
}

media::AudioBuffer EspeakSynthesizer::synthesize(std::string_view text, const VoiceSpec& voice) {
    return synthesize_with_words(text, voice).audio;
}

TimedSpeech EspeakSynthesizer::synthesize_with_words(std::string_view text, const VoiceSpec& voice) {
    ChildResult child;
    int rate = 0;
    std::string name;
    {
        std::lock_guard lock(espeak_mutex());
        const EspeakCatalog& catalog = catalog_locked();
        rate = catalog.sample_rate;
        name = espeak_voice_name(voice, catalog);
        child = synthesize_in_child(name, voice.rate_wpm, voice.pitch, std::string(text));
        if (child.status == ENS_VOICE_NOT_FOUND) throw EngineError(unknown_voice_message(name, catalog));
    }
    if (child.status != ENS_OK) {
        throw EngineError("espeak-ng could not speak with voice \"" + name + "\": " + status_message(child.status));
    }

    TimedSpeech speech;
    speech.audio.sample_rate = rate;
    speech.audio.channels = 1;
    speech.audio.samples.reserve(child.pcm.size());
    for (const short s : child.pcm) speech.audio.samples.push_back(static_cast<float>(s) / 32768.0f);

    const std::vector<std::size_t> offsets = code_point_offsets(text);
    const auto char_count = static_cast<std::int32_t>(offsets.size() - 1);
    const TimeMs total_ms = speech.audio.duration_ms();
    std::int32_t previous_token_first = -1;
    for (std::size_t i = 0; i < child.words.size(); ++i) {
        const WireWord& w = child.words[i];
        const std::int32_t first = w.text_position - 1;
        if (first < 0 || first >= char_count) continue;
        // A word is the whole whitespace-delimited token espeak's event falls in, so it keeps
        // its punctuation ("back?", "call.") the way recognizers give words: segmentation
        // needs it to break after sentences and subtitles need it to read right.
        std::int32_t token_first = first;
        std::int32_t token_last = std::min(char_count, first + w.length);
        while (token_first > 0 && !is_space_at(text, offsets, token_first - 1)) --token_first;
        while (token_last < char_count && !is_space_at(text, offsets, token_last)) ++token_last;
        const TimeMs start = std::min<TimeMs>(w.audio_ms, total_ms);
        const TimeMs next = i + 1 < child.words.size() ? child.words[i + 1].audio_ms : total_ms;
        const TimeMs end = std::min(total_ms, sounding_end_ms(speech.audio.samples, rate, start, std::max(next, start)));
        if (token_first == previous_token_first && !speech.words.empty()) {
            speech.words.back().end = std::max(speech.words.back().end, end);  // "well-known": one token, two events
            continue;
        }
        Word word;
        word.text = std::string(text.substr(offsets[token_first], offsets[token_last] - offsets[token_first]));
        if (trim_punctuation(word.text).empty()) continue;
        previous_token_first = token_first;
        word.start = start;
        word.end = end;
        speech.words.push_back(std::move(word));
    }
    return speech;
}

}  // namespace dramaloc::engines
