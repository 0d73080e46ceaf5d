#include "series/characters.hpp"

#include <algorithm>
#include <set>

namespace dramaloc::series {

SeriesCharacters resolve_series_characters(const std::vector<Character>& cast,
                                           const std::vector<std::pair<std::string, std::vector<Character>>>& heard,
                                           const engines::SpeakerIdentifier& speakers) {
    SeriesCharacters out;
    out.characters = cast;
    const auto find = [&](const std::string& id) {
        return std::find_if(out.characters.begin(), out.characters.end(), [&](const Character& c) { return c.id == id; });
    };
    for (const auto& [episode, characters] : heard) {
        auto& map = out.speaker_maps[episode];
        std::set<std::string> speaking;  // series ids already given to a voice of this episode
        std::vector<Character> fresh;
        for (const auto& c : characters) {
            const auto cast_member = std::find_if(cast.begin(), cast.end(), [&](const Character& k) { return k.id == c.id; });
            if (cast_member == cast.end()) {
                fresh.push_back(c);
                continue;
            }
            map[c.id] = c.id;
            speaking.insert(c.id);
            fill_in(*find(c.id), c);
            out.first_episode.emplace(c.id, episode);
        }
        std::vector<Character> candidates;
        for (const auto& s : out.characters)
            if (!speaking.count(s.id)) candidates.push_back(s);
        // New voices are numbered after the highest C-number of the candidates, which hold every
        // C-numbered series character (only cast members can be speaking already).
        const auto matched = speakers.match_known(fresh, candidates);
        for (const auto& c : fresh) {
            const std::string& to = matched.at(c.id);
            const bool known = std::any_of(candidates.begin(), candidates.end(), [&](const Character& k) { return k.id == to; });
            if (known) {
                map[c.id] = to;
                fill_in(*find(to), c);
                continue;
            }
            Character added = c;
            added.id = to;
            map[c.id] = added.id;
            out.first_episode[added.id] = episode;
            out.characters.push_back(std::move(added));
        }
    }
    return out;
}

}  // namespace dramaloc::series
