// The edit history: what is in force, a revert, two writers at once, the published script
// file compared with what was published, and a broken file named.
#include <gtest/gtest.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/script_json.hpp"
#include "series/edit_log.hpp"
#include "pipeline/publish.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::pipeline;
using namespace dramaloc::series;
using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

LineEdit edit(const std::string& episode, const std::string& language, int line, const std::string& after, bool revert = false) {
    LineEdit e;
    e.episode = episode;
    e.language = language;
    e.line = line;
    e.before = "before";
    e.after = after;
    e.machine = "machine " + std::to_string(line);
    e.who = "ana";
    e.when = utc_now();
    e.via = "cli";
    e.revert = revert;
    return e;
}

// OUT/ep1 as a publish leaves it: the es script and the manifest recording it.
void publish(const fs::path& out, const std::vector<std::string>& texts) {
    Script s{"es", {}};
    json lines = json::array();
    for (std::size_t i = 0; i < texts.size(); ++i) {
        Line l;
        l.id = static_cast<int>(i) + 1;
        l.start = static_cast<TimeMs>(i) * 2000;
        l.end = l.start + 1500;
        l.text = texts[i];
        s.lines.push_back(l);
        lines.push_back({{"id", l.id}, {"start", l.start}, {"end", l.end}, {"text", l.text}, {"machine", "machine " + std::to_string(l.id)}});
    }
    const fs::path file = script_file(out / "ep1", "ep1", "es");
    fs::create_directories(file.parent_path());
    write_script_json(file, s);
    write_file(out / "ep1" / "manifest.json", json{{"scripts", {{"es", {{"hash", hash_file_hex(file)}, {"lines", lines}}}}}}.dump());
}

}  // namespace

TEST(EditLog, TheLastEditOfALineIsInForceAndARevertRemovesIt) {
    TempDir dir;
    const EditLog log(dir.path());
    EXPECT_TRUE(log.in_force("ep1").empty());
    log.append({edit("ep1", "es", 2, "uno"), edit("ep1", "es", 3, "tres"), edit("ep2", "es", 2, "otro")});
    log.append({edit("ep1", "es", 2, "dos"), edit("ep1", "es", 3, "", true)});
    const auto f = log.in_force("ep1");
    ASSERT_EQ(f.size(), 1u);
    ASSERT_EQ(f.at("es").size(), 1u);
    EXPECT_EQ(f.at("es").at(2).text, "dos");
    EXPECT_EQ(f.at("es").at(2).machine, "machine 2");
    EXPECT_EQ(log.history().size(), 5u);
    EXPECT_TRUE(log.history()[4].revert);
}

TEST(EditLog, AReDubIsANewTakeOfTheLineThatLeavesItsTextAndSurvivesARevert) {
    TempDir dir;
    const EditLog log(dir.path());
    LineEdit redub = edit("ep1", "es", 4, "");
    redub.redub = true;
    log.append({redub, edit("ep1", "es", 5, "cinco"), redub});
    auto f = log.in_force("ep1").at("es");
    EXPECT_EQ(f.at(4).take, 2) << "two re-dubs";
    EXPECT_FALSE(f.at(4).sets_text) << "the translation's text stands";
    EXPECT_EQ(f.at(5).take, 0);
    EXPECT_TRUE(f.at(5).sets_text);
    // An edit after a re-dub keeps the take; a revert drops the text, not the take.
    log.append({edit("ep1", "es", 4, "cuatro"), edit("ep1", "es", 4, "", true)});
    f = log.in_force("ep1").at("es");
    EXPECT_EQ(f.at(4).take, 2);
    EXPECT_FALSE(f.at(4).sets_text);
    EXPECT_TRUE(log.history()[0].redub) << "read back";
    EXPECT_EQ(line_revision(log.history(), "ep1", "es", 4), 4) << "a re-dub is a revision of the line";
    EXPECT_EQ(to_json(log.in_force("ep1"))["es"]["4"], json({{"take", 2}}));
}

TEST(EditLog, AnotherSpeakerIsGivenInEveryLanguageAndOutlivesARevertOfTheText) {
    TempDir dir;
    publish(dir.path(), {"uno", "dos", "tres"});
    LineEditRequest r;
    r.episode = "ep1";
    r.language = "es";
    r.line = 2;
    r.speaker = "ben";
    r.languages = {"es", "fr"};
    r.revision = 0;
    r.who = "ana";
    auto result = record_line_edit(dir.path(), r, nullptr);
    ASSERT_EQ(result.outcome, LineEditResult::Outcome::Recorded);
    EXPECT_EQ(result.revision, 1);
    const EditLog log(dir.path());
    ASSERT_EQ(log.history().size(), 2u) << "one edit per language";
    EXPECT_EQ(log.history()[1].language, "fr");
    EXPECT_EQ(log.history()[1].speaker, "ben");
    auto f = log.in_force("ep1");
    EXPECT_EQ(f.at("es").at(2).speaker, "ben");
    EXPECT_EQ(f.at("fr").at(2).speaker, "ben");
    EXPECT_FALSE(f.at("es").at(2).sets_text) << "the text stands";
    EXPECT_EQ(to_json(f)["es"]["2"], json({{"speaker", "ben"}}));
    // The same speaker again changes nothing; an old revision is a conflict.
    r.revision = 1;
    EXPECT_EQ(record_line_edit(dir.path(), r, nullptr).outcome, LineEditResult::Outcome::Unchanged);
    r.speaker = "C1";
    r.revision = 0;
    EXPECT_EQ(record_line_edit(dir.path(), r, nullptr).outcome, LineEditResult::Outcome::Conflict);
    // A text edit and its revert leave the speaker.
    LineEditRequest text;
    text.episode = "ep1";
    text.language = "es";
    text.line = 2;
    text.text = "dos y medio";
    text.revision = 1;
    ASSERT_EQ(record_line_edit(dir.path(), text, nullptr).outcome, LineEditResult::Outcome::Recorded);
    EXPECT_EQ(log.in_force("ep1").at("es").at(2).text, "dos y medio");
    text.revert = true;
    text.revision = 2;
    ASSERT_EQ(record_line_edit(dir.path(), text, nullptr).outcome, LineEditResult::Outcome::Recorded);
    f = log.in_force("ep1");
    EXPECT_EQ(f.at("es").at(2).speaker, "ben");
    EXPECT_FALSE(f.at("es").at(2).sets_text);
}

TEST(EditLog, TwoWritersAtOnceBothKeepTheirEdits) {
    TempDir dir;
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w)
        writers.emplace_back([&, w] {
            for (int i = 0; i < 10; ++i) EditLog(dir.path()).append({edit("ep1", "es", w * 100 + i, "x")});
        });
    for (auto& t : writers) t.join();
    EXPECT_EQ(EditLog(dir.path()).history().size(), 40u);
}

TEST(EditLog, AFileItDidNotWriteIsNamed) {
    TempDir dir;
    write_file(dir / "edits.json", "{\"edits\": [{\"episode\": 3}]}");
    try {
        EditLog(dir.path()).history();
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("edits.json"), std::string::npos) << e.what();
    }
}

TEST(ScriptFileEdits, OnlyChangedTextsAreEditsAndOtherChangesAreNamed) {
    TempDir dir;
    publish(dir.path(), {"Hola.", "¿Dónde está?", "Adiós."});
    std::vector<std::string> warnings;
    EXPECT_TRUE(detect_script_file_edits(dir / "ep1", "ep1", "ana", warnings).empty()) << "nothing changed";

    Script s = read_script_json(script_file(dir / "ep1", "ep1", "es"));
    s.lines[1].text = "¿Dónde queda?";
    s.lines[2].start += 100;                      // re-timed: named, not taken
    s.lines.erase(s.lines.begin());               // removed: named, stays
    write_script_json(script_file(dir / "ep1", "ep1", "es"), s);
    const auto found = detect_script_file_edits(dir / "ep1", "ep1", "ana", warnings);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].line, 2);
    EXPECT_EQ(found[0].before, "¿Dónde está?");
    EXPECT_EQ(found[0].after, "¿Dónde queda?");
    EXPECT_EQ(found[0].machine, "machine 2");
    EXPECT_EQ(found[0].via, "script-file");
    ASSERT_EQ(warnings.size(), 2u);
    EXPECT_NE(warnings[0].find("line 3 was re-timed"), std::string::npos) << warnings[0];
    EXPECT_NE(warnings[1].find("line 1 was removed"), std::string::npos) << warnings[1];

    // gather_edits records them, once: a run that fails before publishing leaves the file as
    // it was, and the next run must not record the same edit again.
    std::vector<std::string> said;
    for (int run = 0; run < 2; ++run) {
        const auto in_force = gather_edits(dir.path(), "ep1", [&](const std::string& w) { said.push_back(w); });
        EXPECT_EQ(in_force.at("es").at(2).text, "¿Dónde queda?");
    }
    EXPECT_EQ(EditLog(dir.path()).history().size(), 1u);
    EXPECT_EQ(said.size(), 2u + 1u + 2u) << "two warnings and the edit, then the warnings again";
}

TEST(ScriptFileEdits, ABrokenFileIsNamedAndNeverTakenForEdits) {
    TempDir dir;
    publish(dir.path(), {"Hola."});
    write_file(script_file(dir / "ep1", "ep1", "es"), "{\"language\": \"es\", \"lines\": [");
    std::vector<std::string> warnings;
    try {
        detect_script_file_edits(dir / "ep1", "ep1", "ana", warnings);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("ep1.es.script.json"), std::string::npos) << e.what();
    }
}
