// Voice cloning end to end: `dramaloc localize` over two episodes with [engines.tts] clone = true
// against the local OpenAI-compatible server. Each character's reference is 3-10 s of its own
// lines cut from the source, sent with their transcript on every line it speaks, and the same
// clip serves the character in the next episode.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/script_json.hpp"
#include "media/wav.hpp"
#include "sample/sample.hpp"
#include "support/fake_openai_server.hpp"
#include "support/sample_episode.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

Script stage_script(const fs::path& out, const json& manifest, const std::string& stage, const std::string& scope) {
    const fs::path folder = stage_artifact(out / ".dramaloc-store", manifest, stage, scope);
    EXPECT_FALSE(folder.empty()) << "no " << stage << " stage for " << scope;
    return folder.empty() ? Script{} : read_script_json(folder / "script.json");
}

}  // namespace

TEST(VoiceClone, EachCharacterIsDubbedFromItsOwnReferenceInEveryEpisode) {
    TempDir dir;
    std::vector<fs::path> videos;
    for (int seed : {5, 6}) videos.push_back(sample_episode(dir / ("ep" + std::to_string(seed) + ".mp4"), 20, seed).video);
    FakeOpenAiServer server;
    server.set_clone_fields("speaker_wav", "speaker_text");
    write_file(dir / "series.toml", "[engines.tts]\nbackend = \"openai\"\nurl = \"" + server.base_url() +
                                        "\"\nmodel = \"xtts\"\nclone = true\nclone_request = \"multipart\"\n"
                                        "reference_audio_field = \"speaker_wav\"\nreference_text_field = \"speaker_text\"\n\n"
                                        // A cast member without a clip of its own keeps the first one cut for it.
                                        "[cast.lin]\nname = \"Lin Xia\"\npitch_hz = 225\n");
    const auto r = run_dramaloc({"localize", videos[0].string(), videos[1].string(), "--from", "en", "--to", "es", "--config",
                                 (dir / "series.toml").string(), "--out", (dir / "out").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    // What each character's reference is, episode by episode.
    std::map<std::string, std::string> clip_of;  // character -> WAV bytes
    std::map<std::string, std::string> text_of;
    std::size_t cloned_lines = 0;
    // A line said twice by one character is synthesized once (its clip is an artifact reused),
    // so requests count distinct (character, text) pairs.
    std::set<std::pair<std::string, std::string>> lines_with_reference_speaker;
    for (const char* name : {"ep5", "ep6"}) {
        SCOPED_TRACE(name);
        const json manifest = json::parse(read_file(dir / "out" / name / "manifest.json"));
        const Script source = stage_script(dir / "out", manifest, "source-script", "episode");
        const Script spanish = stage_script(dir / "out", manifest, "translate", "es");
        ASSERT_FALSE(source.lines.empty());
        int with_reference = 0;
        for (const auto& c : manifest["characters"]) {
            const std::string id = c["id"];
            if (!c.contains("reference_audio")) {
                // Too little clear speech: the manifest says why and the preset voice speaks.
                if (manifest["voice_references"].contains(id)) {
                    EXPECT_TRUE(manifest["voice_references"][id].contains("reason"));
                    const json qc = json::parse(read_file(dir / "out" / name / "qc.json"));
                    bool noted = false;
                    for (const auto& f : qc["languages"]["es"]["findings"])
                        noted = noted || (f["rule"] == "no_voice_reference" && f["message"].get<std::string>().find(id) != std::string::npos);
                    EXPECT_TRUE(noted) << "QC does not say " << id << " speaks in a preset voice";
                }
                continue;
            }
            ++with_reference;
            const std::string bytes = read_file(c["reference_audio"].get<std::string>());
            const auto clip = media::read_wav(c["reference_audio"].get<std::string>());
            EXPECT_GE(clip.duration_ms(), 3000) << id;
            EXPECT_LE(clip.duration_ms(), 10000) << id;
            EXPECT_EQ(clip.channels, 1);
            if (clip_of.count(id)) {
                EXPECT_EQ(bytes, clip_of[id]) << id << " got a new reference in a later episode";
                EXPECT_EQ(c["reference_text"], text_of[id]);
            } else {
                // Cut here: its transcript is this character's own source lines, in order.
                const json& cut = manifest["voice_references"][id];
                ASSERT_TRUE(cut.contains("line_ids")) << cut;
                std::string text;
                for (const auto& line_id : cut["line_ids"]) {
                    const auto& line = source.lines.at(static_cast<std::size_t>(line_id.get<int>() - source.lines.front().id));
                    EXPECT_EQ(line.speaker, id);
                    text += (text.empty() ? "" : " ") + line.text;
                }
                EXPECT_EQ(c["reference_text"], text);
                clip_of[id] = bytes;
                text_of[id] = text;
            }
        }
        EXPECT_GE(with_reference, 1) << manifest["voice_references"];
        EXPECT_TRUE(clip_of.count("lin")) << "the cast's Lin Xia has no reference: " << manifest["voice_references"];
        for (const auto& line : spanish.lines)
            if (clip_of.count(line.speaker)) lines_with_reference_speaker.insert({line.speaker, line.text});
    }
    // Every line of a character with a reference carried that character's clip and transcript.
    for (const auto& speech : server.speeches()) {
        if (speech.reference_wav.empty()) continue;  // a character without a reference: its preset voice
        EXPECT_EQ(speech.transport, "multipart");
        ++cloned_lines;
        bool known = false;
        for (const auto& [id, bytes] : clip_of) known = known || (bytes == speech.reference_wav && text_of[id] == speech.reference_text);
        EXPECT_TRUE(known) << "a line was sent a clip that is no character's reference";
    }
    EXPECT_EQ(cloned_lines, lines_with_reference_speaker.size());
    EXPECT_GT(cloned_lines, 0u);
}

TEST(VoiceClone, ASeparateRunOfTheSeriesSendsTheReferenceKeptWithIt) {
    TempDir dir;
    for (int seed : {5, 6}) sample_episode(dir / ("ep" + std::to_string(seed) + ".mp4"), 20, seed);
    FakeOpenAiServer server;
    write_file(dir / "series.toml", "[series]\nfrom = \"en\"\nto = [\"es\"]\nepisodes = [\"ep5.mp4\", \"ep6.mp4\"]\n\n"
                                    "[engines.tts]\nbackend = \"openai\"\nurl = \"" + server.base_url() +
                                        "\"\nmodel = \"xtts\"\nclone = true\n");
    auto r = run_dramaloc({"run", (dir / "series.toml").string(), "-e", "ep5", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json registry = json::parse(read_file(dir / "out" / "characters.json"));
    std::map<std::string, std::string> kept;  // reference bytes -> character
    for (const auto& c : registry["characters"])
        if (c.contains("reference_audio")) {
            EXPECT_EQ(c["reference_audio"].get<std::string>().rfind("characters/" + c["id"].get<std::string>() + "-", 0), 0u) << c;
            kept[read_file(dir / "out" / c["reference_audio"].get<std::string>())] = c["id"];
        }
    ASSERT_FALSE(kept.empty()) << registry;
    // The store is gone; the series still has its voices.
    fs::remove_all(dir / "out" / ".dramaloc-store");
    const std::size_t before = server.speeches().size();
    r = run_dramaloc({"run", (dir / "series.toml").string(), "-e", "ep6", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto speeches = server.speeches();
    std::size_t sent_kept = 0;
    for (std::size_t i = before; i < speeches.size(); ++i) sent_kept += kept.count(speeches[i].reference_wav);
    EXPECT_GT(sent_kept, 0u) << "episode 6 did not dub a known character from the clip kept with the series";
}
