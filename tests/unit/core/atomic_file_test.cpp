#include <gtest/gtest.h>

#include <fstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "support/test_support.hpp"

using namespace dramaloc;
namespace fs = std::filesystem;

TEST(AtomicFile, CommitMovesIntoPlace) {
    test::TempDir dir;
    write_file_atomically(dir / "sub/out.txt", "hello");
    EXPECT_EQ(test::read_file(dir / "sub/out.txt"), "hello");
    EXPECT_EQ(test::list_files(dir.path()), std::vector<std::string>{"sub/out.txt"});
}

TEST(AtomicFile, UncommittedLeavesNothing) {
    test::TempDir dir;
    {
        AtomicFile f(dir / "out.mp4");
        EXPECT_EQ(f.temp_path().extension(), ".mp4");  // libraries guess formats from it
        std::ofstream(f.temp_path()) << "partial";
        EXPECT_TRUE(fs::exists(f.temp_path()));
    }
    EXPECT_TRUE(test::list_files(dir.path()).empty());
}

TEST(AtomicFile, ExceptionDuringWriteLeavesNothing) {
    test::TempDir dir;
    try {
        AtomicFile f(dir / "out.srt");
        std::ofstream(f.temp_path()) << "1\n";
        throw InputError("boom");
    } catch (const InputError&) {
    }
    EXPECT_TRUE(test::list_files(dir.path()).empty());
}

TEST(AtomicFile, UnwritableDestinationIsAClearError) {
    test::TempDir dir;
    test::write_file(dir / "a-file", "x");
    try {
        write_file_atomically(dir / "a-file" / "out.srt", "data");  // parent is a file
        FAIL() << "expected an error";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("a-file"), std::string::npos) << e.what();
    }
    EXPECT_EQ(test::list_files(dir.path()), std::vector<std::string>{"a-file"});
}

TEST(AtomicFile, ReadTextFileErrors) {
    test::TempDir dir;
    EXPECT_THROW(read_text_file(dir / "nope.srt"), InputError);
    test::write_file(dir / "empty.srt", "");
    try {
        read_text_file(dir / "empty.srt");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos);
    }
    EXPECT_THROW(read_text_file(dir.path()), InputError);
    test::write_file(dir / "big.txt", std::string(3u << 20, 'x'));
    EXPECT_THROW(read_text_file(dir / "big.txt", 1u << 20), InputError);
}
