// What the review station's routes answer, built without HTTP from what was read (server/views.hpp).
#include "server/views.hpp"

#include <gtest/gtest.h>

using namespace dramaloc;
using namespace dramaloc::server::views;

namespace {

series::LineEdit edit(int line, std::string after, std::string language = "es") {
    series::LineEdit e;
    e.episode = "ep1";
    e.language = std::move(language);
    e.line = line;
    e.before = "Hola.";
    e.after = std::move(after);
    e.machine = "Hola.";
    e.who = "ana";
    e.when = "2026-12-07T06:00:00Z";
    e.via = "api";
    return e;
}

const pipeline::PublishedLine kLine{2, 2800, 4600, "C1", "Hola.", "Hola.", "Hello.", 1};

}  // namespace

TEST(Views, ALineCarriesTheTextInForceItsRevisionAndWhetherItsOutputsAreStale) {
    // Untouched: the published text, revision 0, stale since the outputs were of revision 1.
    json v = line_view(kLine, {}, "ep1", "es", json::array(), json::array());
    EXPECT_EQ(v["text"], "Hola.");
    EXPECT_EQ(v["revision"], 0);
    EXPECT_EQ(v["stale"], true);
    EXPECT_EQ(v["start_ms"], 2800);
    EXPECT_EQ(v["speaker"], "C1");
    // An edit of this line (others' edits ignored), then a re-dub and a new speaker.
    std::vector<series::LineEdit> history = {edit(2, "Buenos días."), edit(3, "Otra."), edit(2, "x", "fr")};
    auto redub = edit(2, "");
    redub.redub = true;
    auto speaker = edit(2, "");
    speaker.speaker = "ben";
    history.push_back(redub);
    history.push_back(speaker);
    v = line_view(kLine, history, "ep1", "es", json::array({{{"rule", "cps"}}}), nullptr);
    EXPECT_EQ(v["text"], "Buenos días.") << "a re-dub or a speaker change leaves the text";
    EXPECT_EQ(v["revision"], 3);
    EXPECT_EQ(v["stale"], true);
    EXPECT_EQ(v["speaker"], "ben");
    ASSERT_EQ(v["history"].size(), 3u);
    EXPECT_EQ(v["history"][1]["after"], nullptr) << "a re-dub changes no text";
    EXPECT_EQ(v["history"][2]["speaker"], "ben");
    EXPECT_EQ(v["qc"].size(), 1u);
    EXPECT_EQ(v["findings"], json::array()) << "none: an empty list, never null";
    // A revert brings back the machine's text.
    auto revert = edit(2, "");
    revert.revert = true;
    revert.machine = "Hola (máquina).";
    v = line_view(kLine, {edit(2, "Buenos días."), revert}, "ep1", "es", nullptr, nullptr);
    EXPECT_EQ(v["text"], "Hola (máquina).");
    EXPECT_EQ(v["revision"], 2);
}

TEST(Views, StaleLinesCountsEditsNotInTheOutputs) {
    const pipeline::PublishedScript script{"ep1.es.script.json", "", {kLine, {3, 0, 0, "", "x", "", "", 0}}};
    EXPECT_EQ(series::stale_lines("ep1", "es", script, {edit(2, "a")}), 0) << "line 2 published at revision 1, line 3 at 0";
    EXPECT_EQ(series::stale_lines("ep1", "es", script, {edit(2, "a"), edit(3, "b")}), 1);
    EXPECT_EQ(series::stale_lines("ep1", "es", script, {}), 1);
}

TEST(Views, QcFlagsAreByLineAndIgnoreWhatIsNotALine) {
    const std::map<std::string, std::vector<pipeline::QcFinding>> qc = {
        {"es",
         {{"cps", "warn", 2, std::nullopt, 0, 0, "fast"},
          {"loudness", "error", 0, std::nullopt, 0, 0, "the whole language"},
          {"max_lines", "error", 2, 7, 0, 0, "an event, not a line"}}}};
    const auto flags = qc_flags(qc, "es");
    ASSERT_EQ(flags.size(), 1u);
    ASSERT_EQ(flags.at(2).size(), 1u);
    EXPECT_EQ(flags.at(2)[0]["rule"], "cps");
    EXPECT_TRUE(qc_flags(qc, "fr").empty());
    EXPECT_TRUE(qc_flags({}, "es").empty());
}

TEST(Views, EnginesFollowThePipelinesOrderAndOldManifestsStillRead) {
    const auto manifest = pipeline::Manifest::from_json(
        {{"engines", {{"tts", {{"identity", "espeak-ng (embedded)"}}}, {"asr", "pocketsphinx"}, {"translate", {{"identity", 5}}}}}});
    const json v = engines_view(manifest);
    ASSERT_EQ(v.size(), 2u) << v;
    EXPECT_EQ(v[0], json({{"stage", "asr"}, {"identity", "pocketsphinx"}}));
    EXPECT_EQ(v[1]["stage"], "tts");
    EXPECT_EQ(engines_view(pipeline::Manifest{}), json::array());
    EXPECT_EQ(engines_view(pipeline::Manifest::from_json({{"engines", "broken"}})), json::array());
}

TEST(Views, CharactersAreTheCastThenThoseMetThenSpeakersNamedEachOnce) {
    Character ben;
    ben.id = "ben";
    ben.name = "Ben";
    const json registry = {{"characters", json::array({{{"id", "C1"}, {"name", "Lin"}}, {{"id", "ben"}, {"name", "again"}}, {{"name", "no id"}}})}};
    pipeline::PublishedScripts scripts;
    scripts["es"].lines = {{1, 0, 0, "C2", "", "", "", 0}, {2, 0, 0, "C1", "", "", "", 0}, {3, 0, 0, "", "", "", "", 0}};
    const json v = characters_view({ben}, registry, scripts);
    EXPECT_EQ(v, json::parse(R"([{"id":"ben","name":"Ben"},{"id":"C1","name":"Lin"},{"id":"C2","name":""}])"));
    EXPECT_EQ(characters_view({}, nullptr, {}), json::array());
}

TEST(Views, LanguagesAreNamedForPeople) {
    const json v = language_names({"es", "zh-Hant", "ar", "xx"});
    EXPECT_EQ(v["es"], "Spanish");
    EXPECT_EQ(v["zh-Hant"], "Chinese (Hant)");
    EXPECT_EQ(v["ar"], "Arabic");
    EXPECT_EQ(v["xx"], "xx") << "an unknown tag as itself";
}

TEST(Views, AReviewAndASessionAsThePageReadsThem) {
    EXPECT_EQ(review_view(std::nullopt, true), nullptr);
    series::Review r;
    r.decision = "approved";
    r.who = "ana";
    const json v = review_view(r, false);
    EXPECT_EQ(v["decision"], "approved");
    EXPECT_EQ(v["stands"], false);
    server::TokenInfo t{"editor", "ana", "abc", 0, 0, 0, 0};
    EXPECT_EQ(session_view(t), json({{"name", "ana"}, {"role", "editor"}, {"expires", nullptr}}));
    t.expires_ms = 1'700'000'000'000;
    EXPECT_EQ(session_view(t)["expires"], "2023-11-14T22:13:20Z");
}

TEST(Views, UrlSegmentsEscapeEverythingButUnreservedCharacters) {
    EXPECT_EQ(url_segment("ep01.es.vtt"), "ep01.es.vtt");
    EXPECT_EQ(url_segment("a b/c?d%"), "a%20b%2Fc%3Fd%25");
    EXPECT_EQ(url_segment("第1集"), "%E7%AC%AC1%E9%9B%86");
}

TEST(Views, RulesAreTheLanguagesOwn) {
    const json v = rules_view(subtitles::rules_for_language("zh"));
    EXPECT_EQ(v["max_chars_per_line"], subtitles::rules_for_language("zh").max_chars_per_line);
    EXPECT_LT(v["max_chars_per_line"].get<int>(), rules_view(subtitles::rules_for_language("en"))["max_chars_per_line"].get<int>());
}
