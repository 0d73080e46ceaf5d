#pragma once
// Phase 2 of the factory (jobs/factory.hpp): the characters of a whole series, resolved from
// what each episode heard knowing only the cast. Episodes are taken in series order, so the
// ids are those a sequential run would give, whichever episode finished first.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/script.hpp"
#include "engines/speakers.hpp"

namespace dramaloc::series {

struct SeriesCharacters {
    std::vector<Character> characters;  // the cast first, then new voices in order of first episode
    std::map<std::string, std::string> first_episode;  // id -> the episode where it was first heard
    // episode -> (id given in that episode -> series id)
    std::map<std::string, std::map<std::string, std::string>> speaker_maps;
};

// `heard`: per episode in series order, the characters it found (ids of the cast where a voice
// matched one, else C<n>). A voice new to the episode is matched to the series' characters not
// already speaking in it (speakers.match_known); one matching none gets the next series id.
// A character gains what it lacked (a pitch, a voice reference) from the first episode that has it.
SeriesCharacters resolve_series_characters(const std::vector<Character>& cast,
                                           const std::vector<std::pair<std::string, std::vector<Character>>>& heard,
                                           const engines::SpeakerIdentifier& speakers);

}  // namespace dramaloc::series
