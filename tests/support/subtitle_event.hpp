#pragma once
// A subtitle event in one expression, for tests that build documents and tracks by hand.
#include <string>
#include <utility>
#include <vector>

#include "core/script.hpp"

namespace dramaloc::test {

inline SubtitleEvent event(int id, TimeMs start, TimeMs end, std::vector<std::string> lines, std::string speaker = {}) {
    SubtitleEvent e;
    e.id = id;
    e.start = start;
    e.end = end;
    e.lines = std::move(lines);
    e.speaker = std::move(speaker);
    return e;
}

}  // namespace dramaloc::test
