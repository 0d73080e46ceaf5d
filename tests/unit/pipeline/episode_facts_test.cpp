// An episode file is probed and hashed once (pipeline/episode_facts.hpp): facts learnt earlier
// stand while the file is unchanged, and are learnt again when it changed.
#include "pipeline/episode_facts.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "core/error.hpp"

using namespace dramaloc;
using namespace dramaloc::pipeline;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("facts-test-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST(EpisodeFacts, KnownFactsStandWhileTheFileIsUnchangedAndTheFileIsNotOpened) {
    TempDir dir;
    const fs::path file = dir.path / "ep01.mp4";
    std::ofstream(file) << "not a video: probing it would fail";
    FileHashCache hashes(dir.path / "hashes.json");
    EXPECT_THROW(learn_episode(file, hashes), InputError) << "it is not media";
    // Facts as a source job would have recorded them for this very file.
    struct ::stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EpisodeFacts known;
    known.size = st.st_size;
    known.inode = st.st_ino;
    known.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    known.input_key = "recorded";
    known.has_video = true;
    known.width = 1080;
    known.height = 1920;
    known.fps = {30, 1};
    known.audio_channels = 2;
    bool learnt = true;
    const EpisodeFacts used = episode_facts(file, known, hashes, &learnt);
    EXPECT_EQ(used.input_key, "recorded") << "unchanged: neither probed nor hashed";
    EXPECT_FALSE(learnt);
    EXPECT_EQ(hashes.files_read(), 0);
    // Changed since: learnt again (and this file is no video).
    std::ofstream(file, std::ios::app) << " more";
    EXPECT_THROW(episode_facts(file, known, hashes, &learnt), InputError);
    EXPECT_TRUE(learnt) << "said before it tried";
    EXPECT_THROW(episode_facts(dir.path / "gone.mp4", known, hashes), InputError) << "a missing file is said so";
}

TEST(EpisodeFacts, ReadBackAsWritten) {
    EpisodeFacts f;
    f.size = 123;
    f.mtime_ns = 456;
    f.inode = 789;
    f.input_key = "abc";
    f.duration_ms = 61'000;
    f.has_video = true;
    f.width = 720;
    f.height = 1280;
    f.fps = {24000, 1001};
    f.audio_channels = 1;
    EXPECT_EQ(EpisodeFacts::from_json(f.to_json()).to_json(), f.to_json());
    EXPECT_THROW(EpisodeFacts::from_json({{"size", 1}}), InputError);
}
