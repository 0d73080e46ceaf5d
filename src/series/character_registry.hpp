#pragma once
// The series' characters as heard so far, kept with the series' outputs between runs:
// OUT/characters.json, and each character's voice reference copied to OUT/characters/ (one
// file per id).
//
// Each character records the episode where it was first heard. An episode starts from the
// characters first heard in the episodes before it in series order (and in episodes no longer
// listed), never from later ones: so an episode's speaker ids, and the artifacts keyed by
// them, are the same whether the series runs in one go or an episode at a time, and a re-run
// of an unchanged episode computes nothing.
#include <filesystem>
#include <string>
#include <vector>

#include "core/script.hpp"

namespace dramaloc::series {

class CharacterRegistry {
public:
    // Loads OUT/characters.json when it exists; InputError when it is not one dramaloc wrote
    // (naming the file: deleting it makes the next run identify the characters anew).
    explicit CharacterRegistry(std::filesystem::path out_dir);

    // The characters `episode` starts from: the `cast` of the series file first, each filled in
    // with what was learnt of it before (pitch, voice reference) where the file says nothing,
    // then every other character first heard before `episode` in `order`.
    std::vector<Character> known_before(const std::string& episode, const std::vector<std::string>& order,
                                        const std::vector<Character>& cast) const;

    // What `episode` found: new characters join with this episode as their first; one known
    // from an earlier episode gains what it lacked (a pitch, a voice reference); one first heard
    // in this episode takes what this run found, and is dropped if this run no longer hears
    // it. Then saved (atomically), references copied next to it. Throws IoError.
    //
    // Episodes run out of order (a later one first) can give one id to two voices: ids are
    // numbered from the characters known. The earlier episode then takes the id, and the
    // returned warnings name the later episode to run again.
    std::vector<std::string> record(const std::string& episode, const std::vector<std::string>& order,
                                    const std::vector<Character>& met);

    struct Entry {
        Character character;        // reference_audio absolute (under OUT/characters/) when set
        std::string first_episode;  // episode name (file stem)
    };
    const std::vector<Entry>& entries() const { return entries_; }
    std::filesystem::path file() const { return out_dir_ / "characters.json"; }

private:
    void save();
    std::filesystem::path out_dir_;
    std::vector<Entry> entries_;
};

}  // namespace dramaloc::series
