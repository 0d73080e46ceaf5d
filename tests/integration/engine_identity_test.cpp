// Engines say who they are (issue 29): a run prints once which backend and endpoint each engine
// uses, its manifest records it (the review page reads it there), and neither holds the key.
#include <gtest/gtest.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "sample/sample.hpp"
#include "support/fake_openai_server.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
using nlohmann::json;

namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

}  // namespace

TEST(EngineIdentity, ARunSaysOnceWhichEnginesItUsesAndItsManifestRecordsThem) {
    TempDir dir;
    sample::SampleOptions o;
    o.seconds = 8;
    sample::make_sample(dir / "ep.mp4", o);
    write_file(dir / "ep.srt", "1\n00:00:00,500 --> 00:00:02,000\nGood morning.\n\n2\n00:00:03,000 --> 00:00:05,000\nWhere is the station?\n");
    FakeOpenAiServer server;
    const std::string key = "sk-identity-secret-51c2";
    ::setenv("DRAMALOC_IDENTITY_TEST_KEY", key.c_str(), 1);
    write_file(dir / "engines.toml", "[engines.translate]\nbackend = \"openai\"\nurl = \"" + server.base_url() +
                                         "\"\nmodel = \"test-model\"\napi_key_env = \"DRAMALOC_IDENTITY_TEST_KEY\"\n");
    const auto r = run_dramaloc({"localize", (dir / "ep.mp4").string(), "--from", "en", "--to", "es", "--source", "srt:" + (dir / "ep.srt").string(),
                                 "--config", (dir / "engines.toml").string(), "--out", (dir / "out").string()});
    ::unsetenv("DRAMALOC_IDENTITY_TEST_KEY");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string translate = "openai at " + server.base_url() + " (model test-model)";
    EXPECT_EQ(occurrences(r.err, "translate: " + translate + "\n"), 1u) << r.err;
    EXPECT_EQ(occurrences(r.err, "tts: espeak (embedded)\n"), 1u) << r.err;
    EXPECT_EQ(occurrences(r.err, "asr: pocketsphinx (embedded)\n"), 1u) << r.err;

    const std::string manifest_text = read_file(dir / "out" / "ep" / "manifest.json");
    const json engines = json::parse(manifest_text)["engines"];
    EXPECT_EQ(engines["translate"]["identity"], translate) << engines;
    EXPECT_EQ(engines["translate"]["backend"], "openai");
    EXPECT_EQ(engines["translate"]["url"], server.base_url());
    EXPECT_EQ(engines["translate"]["model"], "test-model");
    EXPECT_EQ(engines["tts"]["identity"], "espeak (embedded)");
    EXPECT_EQ(engines["vad"]["backend"], "spectral");
    EXPECT_EQ(manifest_text.find(key), std::string::npos);
    EXPECT_EQ(r.err.find(key), std::string::npos);
    EXPECT_EQ(r.out.find(key), std::string::npos);
}
