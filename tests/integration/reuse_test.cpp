// Work done once per run: recognisers are made once per worker for the whole run (not per
// stage or episode), and a re-run of an unchanged episode takes the input's content hash
// from the store's cache instead of reading the file again.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engines/asr.hpp"
#include "pipeline/localize.hpp"
#include "support/sample_episode.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
using namespace dramaloc::test;
namespace fs = std::filesystem;

TEST(Reuse, RecognisersAreMadeOncePerWorkerForTheWholeRunAndInputsAreNotHashedTwice) {
    TempDir dir;
    const auto a = sample_episode(dir / "a.mp4", 8, 1);
    const auto b = sample_episode(dir / "b.mp4", 8, 2);
    pipeline::LocalizeOptions options;
    options.source.language = "en";
    options.languages.targets = {"es"};
    options.run.out_dir = dir / "out";
    options.run.jobs = 2;
    const std::string key = engines::settings_key(options.engines.asr);
    const int before = engines::EnginePool<engines::SpeechRecognizer>::made(key);
    for (const auto& episode : {a.video, b.video, a.video}) pipeline::localize_episode(episode, options);
    // Two workers transcribe: at most two recognisers in all, for three episodes.
    EXPECT_LE(engines::EnginePool<engines::SpeechRecognizer>::made(key) - before, 2);
    EXPECT_GE(engines::EnginePool<engines::SpeechRecognizer>::made(key) - before, 1);
    // The store keeps the inputs' hashes by path, size, time and inode.
    const auto cache = nlohmann::json::parse(read_file(dir / "out" / ".dramaloc-store" / "file-hashes.json"));
    ASSERT_TRUE(cache["files"].contains(fs::absolute(a.video).lexically_normal().string())) << cache.dump();
    EXPECT_EQ(cache["files"][fs::absolute(a.video).lexically_normal().string()]["size"].get<std::int64_t>(),
              static_cast<std::int64_t>(fs::file_size(a.video)));
}
