// A Chinese-source episode (burned-in subtitles, read by OCR) localized zh → en, es end to
// end by the dramaloc command, translating through an OpenAI-compatible server on 127.0.0.1
// (tests/support/fake_openai_server.hpp; its table holds the sample's own English lines), with
// the series glossary rendered as required.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "sample/sample.hpp"
#include "subtitles/format.hpp"
#include "support/fake_openai_server.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;

TEST(ChineseSource, LocalizesThroughTheTranslationServerWithTheGlossary) {
    TempDir dir;
    sample::SampleOptions o;
    o.seconds = 20;  // line 7, "林小姐，车准备好了。", starts at about 15 s
    o.hardsubs_language = "zh";
    const auto sample = sample::make_sample(dir / "ep.mp4", o);
    const auto& ref = sample.contents;

    FakeOpenAiServer server;
    bool has_name = false;
    for (std::size_t i = 0; i < ref.hardsubs.size(); ++i) {
        const std::string zh = ref.hardsubs[i].lines.at(0);
        const std::string en = ref.script.lines.at(i).text;
        has_name = has_name || zh.find("林小姐") != std::string::npos;
        server.translate("en", zh, en);
        server.translate("es", zh, "(es) " + en);
    }
    ASSERT_TRUE(has_name) << "the sample no longer has the glossary name in its first 16 s";
    // The glossary requires "Señorita Lin" in Spanish; the line that has the name gets it.
    server.translate("es", "林小姐，车准备好了。", "Señorita Lin, el coche está listo.");
    write_file(dir / "series.toml",
               "[engines.translate]\nbackend = \"openai\"\nurl = \"" + server.base_url() +
                   "\"\nmodel = \"test-model\"\nbatch_lines = 4\n\n"
                   "[glossary.\"林小姐\"]\nen = \"Miss Lin\"\nes = \"Señorita Lin\"\n");

    const auto r = run_dramaloc({"localize", (dir / "ep.mp4").string(), "--from", "zh", "--to", "en,es", "--config",
                                 (dir / "series.toml").string(), "--out", (dir / "out").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path folder = dir / "out" / "ep";
    for (const char* f : {"ep.zh.srt", "ep.en.srt", "ep.es.srt", "ep.en.dub.wav", "ep.es.dub.wav", "ep.localized.mp4"})
        EXPECT_TRUE(fs::exists(folder / f)) << f;
    const auto qc = json::parse(read_file(folder / "qc.json"));
    EXPECT_EQ(qc["source"]["mode"], "both");
    EXPECT_EQ(qc["languages"]["en"]["summary"]["lines"].get<std::size_t>(), ref.hardsubs.size());

    // The English subtitles are the server's translations of what OCR read, in order.
    const auto en = subtitles::read_subtitles(folder / "ep.en.srt");
    std::string en_text;
    for (const auto& e : en.events) en_text += e.joined(" ") + "\n";
    EXPECT_NE(en_text.find("Miss Lin"), std::string::npos) << en_text;
    EXPECT_NE(en_text.find(ref.script.lines.at(0).text.substr(0, 10)), std::string::npos) << en_text;
    const std::string es = read_file(folder / "ep.es.srt");
    EXPECT_NE(es.find("Señorita Lin"), std::string::npos) << es;
    EXPECT_GE(server.requests(), 2);
    for (const auto& request : server.received()) EXPECT_EQ(request["model"], "test-model");
}

TEST(ChineseSource, SpeechRecognitionThroughTheServerFeedsTheScript) {
    TempDir dir;
    sample::SampleOptions o;
    o.seconds = 8;
    sample::make_sample(dir / "ep.mp4", o);
    FakeOpenAiServer server;
    server.set_transcript({"你", "为什么", "回来？"});
    write_file(dir / "engines.toml", "[engines.asr]\nbackend = \"openai\"\nurl = \"" + server.base_url() +
                                         "\"\nmodel = \"whisper-1\"\n\n[engines.translate]\nbackend = \"openai\"\nurl = \"" +
                                         server.base_url() + "\"\nmodel = \"llm\"\n");
    const auto r = run_dramaloc({"localize", (dir / "ep.mp4").string(), "--from", "zh", "--source", "asr", "--to", "en",
                                 "--config", (dir / "engines.toml").string(), "--out", (dir / "out").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string zh = read_file(dir / "out" / "ep" / "ep.zh.srt");
    EXPECT_NE(zh.find("为什么"), std::string::npos) << zh;
    const std::string en = read_file(dir / "out" / "ep" / "ep.en.srt");
    EXPECT_NE(en.find("[en] "), std::string::npos) << en;  // the table-less translation of the transcript
    ASSERT_FALSE(server.uploads().empty());
    for (const auto& u : server.uploads()) {
        EXPECT_EQ(u.fields.find("language")->second, "zh");
        EXPECT_LE(u.seconds, 21.0);  // chunks stay under the server's limit
    }
}

TEST(ChineseSource, ArabicAndThaiSubtitlesAndDubsThroughTheServers) {
    TempDir dir;
    sample::SampleOptions o;
    o.seconds = 10;
    o.hardsubs_language = "zh";
    const auto sample = sample::make_sample(dir / "ep.mp4", o);
    FakeOpenAiServer server;
    const std::string arabic = "لماذا عدت إلى هنا؟";
    const std::string thai = "ทำไมคุณถึงกลับมาที่นี่";
    for (const auto& e : sample.contents.hardsubs) {
        server.translate("ar", e.lines.at(0), arabic);
        server.translate("th", e.lines.at(0), thai);
    }
    const std::string url = server.base_url();
    write_file(dir / "engines.toml", "[engines.translate]\nbackend = \"openai\"\nurl = \"" + url + "\"\nmodel = \"llm\"\n\n"
                                     "[engines.tts]\nbackend = \"openai\"\nurl = \"" + url + "\"\nmodel = \"tts-1\"\n");
    const auto r = run_dramaloc({"localize", (dir / "ep.mp4").string(), "--from", "zh", "--to", "ar,th", "--config",
                                 (dir / "engines.toml").string(), "--out", (dir / "out").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const fs::path folder = dir / "out" / "ep";
    for (const char* f : {"ep.ar.srt", "ep.ar.vtt", "ep.ar.ass", "ep.ar.ttml", "ep.th.srt", "ep.th.ttml", "ep.ar.dub.wav",
                          "ep.th.dub.wav", "ep.localized.mp4"})
        EXPECT_TRUE(fs::exists(folder / f)) << f;
    // Right-to-left in every format; Thai text intact.
    EXPECT_NE(read_file(folder / "ep.ar.srt").find("\u202B"), std::string::npos);
    EXPECT_NE(read_file(folder / "ep.ar.ttml").find("tts:direction=\"rtl\""), std::string::npos);
    EXPECT_NE(read_file(folder / "ep.ar.srt").find(arabic), std::string::npos);
    const auto th = subtitles::read_subtitles(folder / "ep.th.srt");
    std::string th_text;
    for (const auto& e : th.events) th_text += e.joined("");
    EXPECT_NE(th_text.find("ทำไม"), std::string::npos) << th_text;
    // The dubs were made by the speech server, one voice per character, and mixed on target.
    const auto qc = json::parse(read_file(folder / "qc.json"));
    for (const char* l : {"ar", "th"}) {
        const auto& summary = qc["languages"][l]["summary"];
        EXPECT_NEAR(summary["integrated_lufs"].get<double>(), -16.0, 1.0) << l;
    }
    // (A line is synthesized once per voice and text: the same text in the same voice is reused.)
    int speech_requests = 0;
    std::set<std::string> voices;
    for (const auto& request : server.received())
        if (request.contains("input")) ++speech_requests, voices.insert(request["voice"].get<std::string>());
    EXPECT_GE(speech_requests, 2);
    const std::set<std::string> configured = {"onyx", "echo", "ash", "nova", "shimmer", "coral"};
    for (const auto& v : voices) EXPECT_TRUE(configured.count(v)) << v;
}

TEST(ChineseSource, DubsThatDoNotFitAreShortenedByTheTranslatorAndMadeAgain) {
    TempDir dir;
    sample::SampleOptions o;
    o.seconds = 12;
    o.hardsubs_language = "zh";
    const auto sample = sample::make_sample(dir / "ep.mp4", o);
    FakeOpenAiServer server;
    // Translations far too long for their slots (the embedded espeak-ng voice speaks them).
    for (const auto& e : sample.contents.hardsubs)
        server.translate("en", e.lines.at(0),
                         "Well, you know, as I was saying before, and I really do mean it from the bottom of my heart, this is it");
    const std::string engines = "[engines.translate]\nbackend = \"openai\"\nurl = \"" + server.base_url() + "\"\nmodel = \"llm\"\n";
    write_file(dir / "no-loop.toml", engines + "\n[fit]\nshorten_rounds = 0\n");
    write_file(dir / "loop.toml", engines);
    const auto run = [&](const char* config, const char* out) {
        const auto r = run_dramaloc({"localize", (dir / "ep.mp4").string(), "--from", "zh", "--to", "en", "--config",
                                     (dir / config).string(), "--out", (dir / out).string(), "-q"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return json::parse(read_file(dir / out / "ep" / "qc.json"))["languages"]["en"];
    };
    const json without = run("no-loop.toml", "a");
    const json with = run("loop.toml", "b");
    const int lines = with["summary"]["lines"].get<int>();
    const int fit_without = without["summary"]["lines_fitting"].get<int>();
    const int fit_with = with["summary"]["lines_fitting"].get<int>();
    EXPECT_LT(fit_without, lines) << "the translations were meant not to fit";
    EXPECT_GT(fit_with, fit_without);
    int shortened = 0;
    for (const auto& f : with["findings"]) shortened += f["rule"] == "fit_shortened";
    EXPECT_GT(shortened, 0);
    // Each round is recorded, and the subtitles show what is spoken: the shorter line.
    bool recorded = false;
    for (const auto& c : with["clips"])
        if (!c["shorten_rounds"].empty()) {
            recorded = true;
            EXPECT_LT(c["shorten_rounds"].back()["text"].get<std::string>().size(), c["shorten_rounds"][0]["from"].get<std::string>().size());
        }
    EXPECT_TRUE(recorded);
    const std::string srt = read_file(dir / "b" / "ep" / "ep.en.srt");
    EXPECT_EQ(srt.find("from the bottom of my heart, this is it"), std::string::npos) << srt;
}

TEST(ChineseSource, ALanguageThatComesOutUntranslatedFailsLoudlyAndAloneAndIsNotPublished) {
    TempDir dir;
    sample::SampleOptions o;
    o.seconds = 10;
    o.hardsubs_language = "zh";
    sample::make_sample(dir / "ep.mp4", o);
    FakeOpenAiServer server;
    const std::string refusal = "I'm sorry, but I can't help with that request.";
    server.refuse_language("es", refusal);  // English is answered as usual
    write_file(dir / "engines.toml", "[engines.translate]\nbackend = \"openai\"\nurl = \"" + server.base_url() +
                                         "\"\nmodel = \"llm\"\nmax_retries = 0\n");
    const auto run = [&] {
        return run_dramaloc({"localize", (dir / "ep.mp4").string(), "--from", "zh", "--to", "en,es", "--config",
                             (dir / "engines.toml").string(), "--out", (dir / "out").string(), "-q"});
    };
    const auto r = run();
    EXPECT_EQ(r.exit_code, 7) << r.err;  // finished, with failed languages
    // One line names the language, the engine and what it answered.
    std::string failure;
    for (std::size_t at = 0; at < r.err.size();) {
        const std::size_t end = r.err.find('\n', at);
        const std::string line = r.err.substr(at, end - at);
        if (line.find("es: ") != std::string::npos && line.find("untranslated") != std::string::npos) failure = line;
        at = end == std::string::npos ? r.err.size() : end + 1;
    }
    ASSERT_FALSE(failure.empty()) << r.err;
    EXPECT_NE(failure.find("openai translator"), std::string::npos) << failure;
    EXPECT_NE(failure.find(server.base_url()), std::string::npos) << failure;
    EXPECT_NE(failure.find("I'm sorry, but I can't help"), std::string::npos) << failure;
    EXPECT_NE(r.err.find("not published"), std::string::npos) << r.err;
    // The QC summary names both languages; Spanish as failed.
    EXPECT_NE(r.out.find("QC en: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("QC es: FAILED"), std::string::npos) << r.out;
    // English is published; nothing of Spanish is, and the video carries English only.
    const fs::path folder = dir / "out" / "ep";
    EXPECT_TRUE(fs::exists(folder / "ep.en.srt"));
    EXPECT_TRUE(fs::exists(folder / "ep.localized.mp4"));
    for (const auto& f : list_files(folder)) EXPECT_EQ(f.find(".es."), std::string::npos) << f;
    const auto qc = json::parse(read_file(folder / "qc.json"));
    EXPECT_TRUE(qc["failed_languages"].contains("es"));
    EXPECT_FALSE(qc["languages"].contains("es"));
    // The failure was not stored: the next run asks the model again (and fails again).
    const int before = server.requests();
    EXPECT_EQ(run().exit_code, 7);
    EXPECT_GT(server.requests(), before);
}
