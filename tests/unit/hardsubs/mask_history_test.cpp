#include <gtest/gtest.h>

#include <random>

#include "hardsubs/mask_history.hpp"

using namespace dramaloc;
using namespace dramaloc::hardsubs;

TEST(MaskHistory, GivesBackEveryFramesMaskAndRowsOfIt) {
    std::mt19937 rng(5);
    std::vector<Mask> masks;
    MaskHistory history(70, 40);
    for (int k = 0; k < 6; ++k) {
        Mask m(70, 40);
        // Sparse and dense frames, runs touching both edges, an empty frame.
        const int density = k == 2 ? 0 : k * 15;
        for (auto& b : m.bits) b = static_cast<std::uint8_t>(static_cast<int>(rng() % 100) < density);
        if (k == 4) std::fill(m.bits.begin(), m.bits.begin() + 70, std::uint8_t{1});
        history.add({k * 2, k * 66}, m);
        masks.push_back(m);
    }
    ASSERT_EQ(history.size(), 6u);
    for (std::size_t k = 0; k < masks.size(); ++k) {
        EXPECT_EQ(history.frame(k).index, static_cast<std::int64_t>(k) * 2);
        EXPECT_EQ(history.frame(k).pts, static_cast<TimeMs>(k) * 66);
        EXPECT_EQ(history.rows(k, 0, 40).bits, masks[k].bits) << "frame " << k;
        const Mask band = history.rows(k, 10, 25);
        ASSERT_EQ(band.height, 15);
        for (int y = 0; y < 15; ++y)
            for (int x = 0; x < 70; ++x) ASSERT_EQ(band.at(x, y), masks[k].at(x, y + 10)) << k << " " << x << "," << y;
    }
    // An empty frame costs no runs; memory follows the set pixels, not the frame size.
    MaskHistory empty(1000, 1000);
    for (int k = 0; k < 100; ++k) empty.add({k, k}, Mask(1000, 1000));
    EXPECT_LT(empty.bytes(), 100u * 64u);
}

TEST(MaskHistory, RefusesAMaskOfAnotherSize) {
    MaskHistory history(10, 10);
    EXPECT_THROW(history.add({0, 0}, Mask(10, 11)), std::logic_error);
}
