#include "series/character_registry.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "engines/pitch_speakers/pitch_speakers.hpp"
#include "engines/pitch_speakers/voice_profile.hpp"
#include "pipeline/artifact_json.hpp"

namespace dramaloc::series {

using pipeline::character_from_json;
using pipeline::character_to_json;

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kFormat = 1;

// A file name for a character id, unique per id (ids from the series file may hold any
// character, and "林小姐" and "王先生" must not share a file): the id's safe characters and a
// hash of the whole id.
std::string file_name_for(const std::string& id) {
    std::string out;
    for (unsigned char c : id) out.push_back(std::isalnum(c) || c == '-' || c == '_' ? static_cast<char>(c) : '_');
    return out + "-" + hash_hex(id).substr(0, 8) + ".wav";
}

// Two median pitches close enough to be one voice (the speaker identifier's own bound).
bool same_voice(float a, float b) {
    return a > 0 && b > 0 && engines::semitones_between(a, b) <= engines::PitchSpeakerSettings{}.known_match_semitones;
}

void ensure_directory(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw IoError("cannot create " + dir.string() + ": " + ec.message());
}

}  // namespace

CharacterRegistry::CharacterRegistry(fs::path out_dir) : out_dir_(std::move(out_dir)) {
    const fs::path path = file();
    std::error_code ec;
    if (!fs::exists(path, ec)) return;
    const std::string what = path.string() + " is not a dramaloc character registry";
    const std::string fix = "; delete it to identify the series' characters anew";
    try {
        const json j = json::parse(read_text_file(path));
        if (j.value("format", 0) != kFormat) throw InputError(what + " (format " + std::to_string(j.value("format", 0)) + ")" + fix);
        for (const auto& e : j.at("characters")) {
            Entry entry;
            entry.character = character_from_json(e);
            entry.first_episode = e.at("first_episode").get<std::string>();
            if (!entry.character.reference_audio.empty()) {
                // A clip deleted by hand is cut again from the next episode the character speaks in.
                const fs::path clip = out_dir_ / entry.character.reference_audio;
                entry.character.reference_audio = fs::exists(clip, ec) ? clip.string() : "";
                if (entry.character.reference_audio.empty()) entry.character.reference_text.clear();
            }
            entries_.push_back(std::move(entry));
        }
    } catch (const json::exception& e) {
        throw InputError(what + " (" + e.what() + ")" + fix);
    }
}

std::vector<Character> CharacterRegistry::known_before(const std::string& episode, const std::vector<std::string>& order,
                                                       const std::vector<Character>& cast) const {
    const auto here = std::find(order.begin(), order.end(), episode);
    const auto earlier = [&](const std::string& first) {
        const auto at = std::find(order.begin(), order.end(), first);
        return at == order.end() || (here != order.end() && at < here);  // not listed any more counts as earlier
    };
    std::vector<Character> known = cast;
    for (const auto& e : entries_) {
        if (!earlier(e.first_episode)) continue;
        const auto same = std::find_if(known.begin(), known.end(), [&](const Character& k) { return k.id == e.character.id; });
        if (same != known.end()) fill_in(*same, e.character);
        else known.push_back(e.character);
    }
    return known;
}

std::vector<std::string> CharacterRegistry::record(const std::string& episode, const std::vector<std::string>& order,
                                                   const std::vector<Character>& met) {
    const auto position = [&](const std::string& name) { return std::find(order.begin(), order.end(), name) - order.begin(); };
    std::vector<std::string> warnings;
    bool changed = false;
    for (const auto& c : met) {
        auto same = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.character.id == c.id; });
        if (same == entries_.end()) {
            entries_.push_back({c, episode});
            changed = true;
            continue;
        }
        const auto first = position(same->first_episode);  // episodes no longer listed count as earlier
        const bool own = same->first_episode == episode;
        const bool ran_later_first = !own && first < static_cast<std::ptrdiff_t>(order.size()) && first > position(episode);
        if (own || ran_later_first) {
            // This episode is where the character is first heard: what it found now is the truth
            // (a re-run may cut a better clip; an earlier episode run late takes the id).
            const bool one_voice = same_voice(same->character.median_pitch_hz, c.median_pitch_hz);
            if (ran_later_first && !one_voice)
                warnings.push_back(episode + " and " + same->first_episode + " both gave the id " + c.id +
                                   " to different voices (" + same->first_episode + " ran first); run " + same->first_episode +
                                   " again (dramaloc run SERIES -e " + same->first_episode + ") to give its voice an id of its own");
            Character merged = c;
            if (one_voice) fill_in(merged, same->character);
            changed = changed || ran_later_first || !(merged == same->character);
            *same = {merged, episode};
            continue;
        }
        const Character before = same->character;
        fill_in(same->character, c);
        changed = changed || !(before == same->character);
    }
    // Characters first heard here that a re-run no longer hears are gone.
    const auto gone = std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& e) {
        return e.first_episode == episode &&
               std::none_of(met.begin(), met.end(), [&](const Character& c) { return c.id == e.character.id; });
    });
    changed = changed || gone != entries_.end();
    entries_.erase(gone, entries_.end());
    if (changed) save();
    return warnings;
}

void CharacterRegistry::save() {
    const fs::path folder = out_dir_ / "characters";
    json list = json::array();
    for (auto& e : entries_) {
        if (!e.character.reference_audio.empty()) {
            // Kept with the series: the artifact store may be cleared, the series' voices not.
            const fs::path kept = folder / file_name_for(e.character.id);
            if (fs::path(e.character.reference_audio) != kept) {
                ensure_directory(folder);
                write_file_atomically(kept, read_text_file(e.character.reference_audio));
                e.character.reference_audio = kept.string();
            }
        }
        Character c = e.character;
        if (!c.reference_audio.empty()) c.reference_audio = fs::relative(c.reference_audio, out_dir_).string();
        json j = character_to_json(c);
        j["first_episode"] = e.first_episode;
        list.push_back(std::move(j));
    }
    ensure_directory(out_dir_);
    write_file_atomically(file(), json{{"format", kFormat}, {"characters", list}}.dump(2) + "\n");
}

}  // namespace dramaloc::series
