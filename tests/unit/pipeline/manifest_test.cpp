// manifest.json and qc.json read back typed (pipeline/manifest.hpp, pipeline/qc.hpp): what the
// writer wrote reads back the same, an older or damaged file loses what it lacks, never the rest.
#include "pipeline/manifest.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "core/error.hpp"
#include "pipeline/qc.hpp"

using namespace dramaloc;
using namespace dramaloc::pipeline;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

Manifest sample_manifest() {
    Manifest m;
    m.dramaloc_version = "1.2.3";
    m.episode = "/series/ep01.mp4";
    m.input_key = "abc";
    m.source_language = "zh";
    m.target_languages = {"en", "es"};
    m.engines["asr"] = {"pocketsphinx", "pocketsphinx 5", "", ""};
    m.engines["translate"] = {"openai", "openai qwen", "http://127.0.0.1:8080/v1", "qwen"};
    m.source = {{"mode", "both"}, {"lines", 2}};
    Character lin;
    lin.id = "lin";
    lin.name = "Lin Xia";
    m.characters = {lin};
    m.failed_languages = {{"es", "es: the translator failed"}};
    m.scripts["en"] = {"ep01.en.script.json", "f00d", {{1, 0, 1200, "lin", "Hello.", "Hello!", "你好。", 2}}};
    m.outputs = {"ep01.en.srt", "manifest.json"};
    m.wall_seconds = 1.5;
    return m;
}

}  // namespace

TEST(Manifest, WhatIsWrittenReadsBackTheSame) {
    const Manifest m = sample_manifest();
    const json written = m.to_json();
    EXPECT_EQ(Manifest::from_json(written).to_json(), written);
    EXPECT_FALSE(written["engines"]["asr"].contains("url")) << "an embedded engine has no endpoint";
    EXPECT_EQ(written["engines"]["translate"]["model"], "qwen");
    const auto& line = written["scripts"]["en"]["lines"][0];
    EXPECT_EQ(line, json({{"id", 1}, {"start", 0}, {"end", 1200}, {"speaker", "lin"}, {"text", "Hello."}, {"machine", "Hello!"},
                          {"source", "你好。"}, {"revision", 2}}));
}

TEST(Manifest, AnOlderOrDamagedManifestLosesWhatItLacksNotTheRest) {
    const json old = {{"engines", {{"asr", "pocketsphinx"}, {"tts", 5}}},
                      {"scripts", {{"en", {{"hash", "beef"}, {"lines", json::array({{{"id", 1}, {"text", "Hi."}}, {{"text", "no id"}}})}}},
                                   {"fr", "broken"}}},
                      {"characters", "broken"},
                      {"wall_seconds", "soon"}};
    const Manifest m = Manifest::from_json(old);
    EXPECT_EQ(m.engines.at("asr").identity, "pocketsphinx");
    EXPECT_FALSE(m.engines.count("tts"));
    ASSERT_EQ(m.scripts.size(), 1u);
    ASSERT_EQ(m.scripts.at("en").lines.size(), 1u);
    EXPECT_EQ(m.scripts.at("en").lines[0].text, "Hi.");
    EXPECT_EQ(m.scripts.at("en").lines[0].revision, 0) << "written before lines had revisions";
    EXPECT_TRUE(m.characters.empty());
    EXPECT_EQ(m.wall_seconds, 0);
    EXPECT_THROW(Manifest::from_json(json::array()), InputError);
}

TEST(Manifest, AFolderWithoutOneOrWithAnUnreadableOneHasNoScripts) {
    const fs::path folder = fs::temp_directory_path() / ("manifest-test-" + std::to_string(::getpid()));
    fs::create_directories(folder);
    EXPECT_FALSE(read_manifest(folder));
    EXPECT_TRUE(published_scripts(folder).empty());
    std::ofstream(manifest_file(folder)) << "{ not json";
    EXPECT_FALSE(read_manifest(folder));
    write_manifest(folder, sample_manifest());
    const auto scripts = published_scripts(folder);
    ASSERT_EQ(scripts.size(), 1u);
    ASSERT_NE(find_line(scripts.at("en"), 1), nullptr);
    EXPECT_EQ(find_line(scripts.at("en"), 1)->source, "你好。");
    EXPECT_EQ(find_line(scripts.at("en"), 9), nullptr);
    fs::remove_all(folder);
}

TEST(QcReport, FindingsReadBackByLanguageAndWhatIsNotAFindingIsLeftOut) {
    QcReport report;
    report.findings = {{"fit_overflow", "warning", 3, std::nullopt, 120, 0, "line 3: dub runs 120 ms past its slot"},
                       {"max_lines", "error", 0, 7, 3, 2, "event 7: 3 lines"}};
    const json j = report.to_json();
    EXPECT_EQ(j["findings"][0]["line_id"], 3);
    EXPECT_FALSE(j["findings"][1].contains("line_id")) << "an event's finding names the event, not a line";
    EXPECT_EQ(j["findings"][1]["event_id"], 7);
    const fs::path folder = fs::temp_directory_path() / ("qc-test-" + std::to_string(::getpid()));
    fs::create_directories(folder);
    EXPECT_TRUE(read_qc_findings(folder).empty()) << "no qc.json";
    json qc = {{"languages", {{"es", j}}}};
    qc["languages"]["es"]["findings"].push_back({{"rule", "no line"}});
    qc["languages"]["es"]["findings"].push_back({{"line_id", "2"}, {"rule", "a string"}});
    std::ofstream(folder / "qc.json") << qc.dump();
    const auto read = read_qc_findings(folder);
    ASSERT_EQ(read.at("es").size(), 2u);
    EXPECT_EQ(read.at("es")[0].rule, "fit_overflow");
    EXPECT_EQ(read.at("es")[0].value, 120);
    EXPECT_EQ(*read.at("es")[1].event_id, 7);
    std::ofstream(folder / "qc.json") << "[";
    EXPECT_TRUE(read_qc_findings(folder).empty());
    fs::remove_all(folder);
}
