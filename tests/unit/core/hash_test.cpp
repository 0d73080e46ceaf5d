#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;

TEST(Hash, IsStableAndHex) {
    const auto h = hash_hex("dramaloc");
    EXPECT_EQ(h.size(), 32u);
    EXPECT_EQ(h, hash_hex("dramaloc"));
    EXPECT_NE(h, hash_hex("dramaloC"));
    EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Hash, FieldsAreLengthPrefixed) {
    EXPECT_NE(Hasher().field("ab").field("c").hex(), Hasher().field("a").field("bc").hex());
    EXPECT_EQ(Hasher().update("ab").update("c").hex(), Hasher().update("a").update("bc").hex());
}

TEST(Hash, FileMatchesContent) {
    test::TempDir dir;
    test::write_file(dir / "x.bin", std::string(200000, 'q'));
    EXPECT_EQ(hash_file_hex(dir / "x.bin"), hash_hex(std::string(200000, 'q')));
    EXPECT_THROW(hash_file_hex(dir / "missing"), InputError);
}

TEST(FileHashCache, AnUnchangedFileIsNotReadAgainAndAChangedOneIs) {
    test::TempDir dir;
    const auto file = dir / "episode.mp4";
    test::write_file(file, std::string(100000, 'a'));
    // Older than the racy window, as an episode a studio hands over is.
    std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
    const std::string expected = hash_file_hex(file);
    {
        FileHashCache cache(dir / "hashes.json");
        EXPECT_EQ(cache.hash(file), expected);
        EXPECT_EQ(cache.hash(file), expected);
        EXPECT_EQ(cache.files_read(), 1);
        cache.save();
    }
    FileHashCache again(dir / "hashes.json");  // the next run
    EXPECT_EQ(again.hash(file), expected);
    EXPECT_EQ(again.files_read(), 0);
    // Same size, another content and time: read again.
    test::write_file(file, std::string(100000, 'b'));
    std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now() - std::chrono::minutes(30));
    EXPECT_EQ(again.hash(file), hash_file_hex(file));
    EXPECT_NE(again.hash(file), expected);
    EXPECT_EQ(again.files_read(), 1);
    // A file replaced by another (a new inode) with the old size and time is read again too.
    const auto old_time = std::filesystem::last_write_time(file);
    test::write_file(dir / "other.mp4", std::string(100000, 'c'));
    std::filesystem::last_write_time(dir / "other.mp4", old_time);
    std::filesystem::rename(dir / "other.mp4", file);
    EXPECT_EQ(again.hash(file), hash_file_hex(file));
    EXPECT_EQ(again.files_read(), 2);
}

TEST(FileHashCache, AFileChangedInTheSecondItWasHashedIsHashedAgainAndADamagedCacheIsEmpty) {
    test::TempDir dir;
    const auto file = dir / "new.wav";
    test::write_file(file, "fresh");
    FileHashCache cache(dir / "hashes.json");
    cache.hash(file);
    cache.hash(file);  // modified just now: not trusted
    EXPECT_EQ(cache.files_read(), 2);
    test::write_file(dir / "hashes.json", "{not json");
    FileHashCache damaged(dir / "hashes.json");
    EXPECT_EQ(damaged.hash(file), hash_file_hex(file));
    EXPECT_THROW(damaged.hash(dir / "missing.wav"), InputError);
}
