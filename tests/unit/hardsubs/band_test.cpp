#include <gtest/gtest.h>

#include "core/error.hpp"
#include "hardsubs/band.hpp"

using namespace dramaloc;
using namespace dramaloc::hardsubs;

TEST(SubtitleBand, ParsesRows) {
    EXPECT_EQ(parse_band("1400:1650"), (SubtitleBand{1400, 1650}));
    EXPECT_EQ(to_string(SubtitleBand{10, 20}), "10:20");
}

TEST(SubtitleBand, RejectsBadSyntaxWithTheExpectedForm) {
    for (const char* bad : {"1400", "a:b", "1400:", ":5", "1650:1400", "5:5", "-2:10", "1:2:3"}) {
        try {
            parse_band(bad);
            ADD_FAILURE() << bad << " was accepted";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("--subtitle-band"), std::string::npos) << e.what();
        }
    }
}

TEST(SubtitleBand, OutsideTheFrameNamesTheFrameSize) {
    EXPECT_NO_THROW(check_band_inside({1400, 1920}, 1080, 1920, "ep.mp4"));
    try {
        check_band_inside({1800, 2100}, 1080, 1920, "ep.mp4");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("outside the 1080x1920 frame"), std::string::npos) << e.what();
    }
}
