// The house as docs/design.md draws it: each room (a folder of src/) with the rooms its files
// include, read from the code's own #include lines; and no room including a room that
// includes it back (a folder depends only on folders below it).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "support/test_support.hpp"

namespace fs = std::filesystem;

namespace {

using Rooms = std::map<std::string, std::set<std::string>>;  // room -> the rooms it includes

Rooms read_rooms() {
    const fs::path src = dramaloc::test::source_dir() / "src";
    Rooms rooms;
    for (const auto& entry : fs::directory_iterator(src))
        if (entry.is_directory()) rooms[entry.path().filename().string()];
    const std::regex include(R"(^\s*#\s*include\s+"([a-z_]+)/)");
    for (auto& [room, uses] : rooms)
        for (const auto& file : fs::recursive_directory_iterator(src / room)) {
            const auto ext = file.path().extension();
            if (ext != ".cpp" && ext != ".hpp" && ext != ".in") continue;
            std::ifstream in(file.path());
            std::smatch m;
            for (std::string line; std::getline(in, line);)
                if (std::regex_search(line, m, include) && m[1] != room && rooms.count(m[1])) uses.insert(m[1]);
        }
    return rooms;
}

// A room's floor: 1 for one that includes no room, else one above the highest it includes.
// Throws when rooms include each other in a circle.
std::map<std::string, int> floors(const Rooms& rooms) {
    std::map<std::string, int> floor;
    std::set<std::string> visiting;
    std::function<int(const std::string&)> of = [&](const std::string& room) {
        if (const auto it = floor.find(room); it != floor.end()) return it->second;
        if (!visiting.insert(room).second) throw std::runtime_error("src/" + room + "/ is in a circle of includes");
        int f = 1;
        for (const auto& used : rooms.at(room)) f = std::max(f, of(used) + 1);
        visiting.erase(room);
        return floor[room] = f;
    };
    for (const auto& [room, uses] : rooms) of(room);
    return floor;
}

// The drawing in docs/design.md: top floor first, rooms of a floor by name.
std::string drawing(const Rooms& rooms) {
    const auto floor = floors(rooms);
    std::vector<std::pair<int, std::string>> order;
    for (const auto& [room, f] : floor) order.emplace_back(-f, room);
    std::sort(order.begin(), order.end());
    std::ostringstream out;
    for (const auto& [minus_floor, room] : order) {
        out << "floor " << (-minus_floor < 10 ? " " : "") << -minus_floor << "  " << room << "/";
        std::string uses;
        for (const auto& used : rooms.at(room)) uses += (uses.empty() ? "" : " ") + used;
        out << std::string(std::max<std::size_t>(1, 12 - room.size()), ' ') << (uses.empty() ? "(nothing)" : "-> " + uses) << "\n";
    }
    return out.str();
}

}  // namespace

TEST(House, NoRoomIncludesARoomThatIncludesItBack) {
    const Rooms rooms = read_rooms();
    ASSERT_GE(rooms.size(), 10u) << "src/ was not found";
    EXPECT_NO_THROW(floors(rooms));
}

TEST(House, DesignMdDrawsTheRoomsAsTheCodeIncludesThem) {
    const std::string drawn = drawing(read_rooms());
    std::ifstream in(dramaloc::test::source_dir() / "docs" / "design.md");
    ASSERT_TRUE(in) << "docs/design.md";
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(doc.find(drawn), std::string::npos)
        << "docs/design.md does not draw the rooms as the code includes them; put this under \"Rooms\":\n" << drawn;
    // Every room has its paragraph, headed by its folder.
    for (const auto& [room, uses] : read_rooms())
        EXPECT_NE(doc.find("**`src/" + room + "/`**"), std::string::npos) << "docs/design.md has no paragraph on src/" << room << "/";
}
