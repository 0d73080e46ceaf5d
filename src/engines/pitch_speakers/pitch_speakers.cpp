#include "engines/pitch_speakers/pitch_speakers.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "engines/pitch_speakers/voice_profile.hpp"

namespace dramaloc::engines {
namespace {

struct Cluster {
    std::vector<std::size_t> members;  // indices into the usable profiles, ascending
    bool alive = true;
};

// Average-linkage agglomerative clustering, then clusters with too little voiced sound to
// stand alone (one short line, whose statistics are noisy) join the nearest cluster when it
// is within twice the threshold. Ties resolve to the lowest indices, so the result depends
// only on the input.
std::vector<std::vector<std::size_t>> cluster_profiles(const std::vector<VoiceProfile>& profiles,
                                                       const PitchSpeakerSettings& settings) {
    const std::size_t n = profiles.size();
    std::vector<double> pair(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) pair[i * n + j] = pair[j * n + i] = voice_distance(profiles[i], profiles[j]);
    }
    std::vector<Cluster> clusters;
    for (std::size_t i = 0; i < n; ++i) clusters.push_back({{i}, true});
    const auto linkage = [&](const Cluster& a, const Cluster& b) {
        double sum = 0.0;
        for (std::size_t i : a.members) {
            for (std::size_t j : b.members) sum += pair[i * n + j];
        }
        return sum / static_cast<double>(a.members.size() * b.members.size());
    };
    const auto voiced_frames = [&](const Cluster& c) {
        std::size_t frames = 0;
        for (std::size_t m : c.members) frames += profiles[m].f0_hz.size();
        return frames;
    };
    std::vector<std::vector<std::size_t>> settled;  // small clusters with no neighbour near enough
    const auto merge = [&](std::size_t into, std::size_t from) {
        std::vector<std::size_t>& members = clusters[into].members;
        members.insert(members.end(), clusters[from].members.begin(), clusters[from].members.end());
        std::sort(members.begin(), members.end());
        clusters[from].alive = false;
    };
    for (;;) {
        throw_if_cancelled();
        double best = std::numeric_limits<double>::infinity();
        std::size_t best_a = 0, best_b = 0;
        for (std::size_t a = 0; a < clusters.size(); ++a) {
            if (!clusters[a].alive) continue;
            for (std::size_t b = a + 1; b < clusters.size(); ++b) {
                if (!clusters[b].alive) continue;
                const double d = linkage(clusters[a], clusters[b]);
                if (d < best) {
                    best = d;
                    best_a = a;
                    best_b = b;
                }
            }
        }
        if (!(best <= settings.cluster_distance)) break;
        merge(best_a, best_b);
    }
    // Smallest first; a small cluster may join another small one (two short lines of one voice).
    for (;;) {
        std::optional<std::size_t> small;
        for (std::size_t c = 0; c < clusters.size(); ++c) {
            if (!clusters[c].alive || voiced_frames(clusters[c]) >= settings.min_cluster_voiced_frames) continue;
            if (!small || voiced_frames(clusters[c]) < voiced_frames(clusters[*small])) small = c;
        }
        if (!small) break;
        double best = 2.0 * settings.cluster_distance;
        std::optional<std::size_t> target;
        for (std::size_t other = 0; other < clusters.size(); ++other) {
            if (other == *small || !clusters[other].alive) continue;
            const double d = linkage(clusters[*small], clusters[other]);
            if (d < best) {
                best = d;
                target = other;
            }
        }
        if (!target) {
            settled.push_back(std::move(clusters[*small].members));  // a voice of its own after all
            clusters[*small].alive = false;
            continue;
        }
        merge(*target, *small);
    }
    std::vector<std::vector<std::size_t>> out = std::move(settled);
    for (Cluster& c : clusters) {
        if (c.alive) out.push_back(std::move(c.members));
    }
    // In order of first appearance (members are sorted, profiles are in line order).
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
    return out;
}

// The n in "C<n>", when `id` has that form.
std::optional<int> c_number(std::string_view id) {
    if (id.size() < 2 || id[0] != 'C') return std::nullopt;
    int value = 0;
    const auto [end, ec] = std::from_chars(id.data() + 1, id.data() + id.size(), value);
    if (ec != std::errc{} || end != id.data() + id.size()) return std::nullopt;
    return value;
}

int next_c_number(const std::vector<Character>& known) {
    int next = 1;
    for (const Character& k : known)
        if (const std::optional<int> n = c_number(k.id)) next = std::max(next, *n + 1);
    return next;
}

// For each pitch, the known character it is: greedy one-to-one matching within
// `max_semitones`, closest pairs first (ties in input order).
std::vector<std::optional<std::size_t>> match_pitches(const std::vector<double>& pitches, const std::vector<Character>& known,
                                                      double max_semitones) {
    struct Candidate {
        double semitones;
        std::size_t voice;
        std::size_t character;
    };
    std::vector<Candidate> candidates;
    for (std::size_t v = 0; v < pitches.size(); ++v) {
        if (pitches[v] <= 0.0) continue;
        for (std::size_t k = 0; k < known.size(); ++k) {
            if (known[k].median_pitch_hz <= 0.0f) continue;
            const double st = semitones_between(pitches[v], known[k].median_pitch_hz);
            if (st <= max_semitones) candidates.push_back({st, v, k});
        }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.semitones < b.semitones; });
    std::vector<std::optional<std::size_t>> out(pitches.size());
    std::vector<bool> taken(known.size(), false);
    for (const Candidate& cand : candidates) {
        if (out[cand.voice] || taken[cand.character]) continue;
        out[cand.voice] = cand.character;
        taken[cand.character] = true;
    }
    return out;
}

}  // namespace

PitchSpeakerIdentifier::PitchSpeakerIdentifier(PitchSpeakerSettings settings) : settings_(settings) {}

std::string PitchSpeakerIdentifier::version() const {
    std::ostringstream out;
    out << "pitch-speakers 3 cluster=" << settings_.cluster_distance << " turn=" << settings_.turn_distance << "/" << settings_.min_turn_part_ms << " known=" << settings_.known_match_semitones
        << " low<" << settings_.low_register_below_hz << " small<" << settings_.min_cluster_voiced_frames;
    return out.str();
}

namespace {

void require_mono_16k(const media::AudioBuffer& mono_16k) {
    if (mono_16k.sample_rate != 16000 || mono_16k.channels != 1) {
        throw InputError("speaker identification needs mono 16 kHz audio, got " + std::to_string(mono_16k.channels) +
                         " channel(s) at " + std::to_string(mono_16k.sample_rate) +
                         " Hz; decode with media::decode_audio(path, 16000, 1)");
    }
}

// Sum of absolute deviations of the log pitch of `p`'s frames from their median: how little
// one voice explains them (octave errors weigh no more than any other distant frame).
double pitch_spread_cost(const VoiceProfile& p) {
    if (p.f0_hz.empty()) return 0.0;
    const double centre = std::log2(median_hz(p.f0_hz));
    double cost = 0.0;
    for (const double f0 : p.f0_hz) cost += std::abs(std::log2(f0) - centre);
    return cost;
}

// The turns among words [first, last) of a line (times relative to the line's start in
// `whole`), recursively. The cut is where one voice on each side explains the pitch best
// (least total deviation, a change point); it is a turn when the two sides are voice_distance
// apart by turn_distance or more.
void find_turns(const Line& line, const VoiceProfile& whole, std::size_t first, std::size_t last, const PitchSpeakerSettings& s,
                std::vector<std::size_t>& out) {
    const auto from = [&](std::size_t k) { return k == 0 ? 0L : static_cast<long>((line.words[k - 1].end + line.words[k].start) / 2 - line.start); };
    const auto to = [&](std::size_t k) { return k == line.words.size() ? static_cast<long>(line.end - line.start) : from(k); };
    const long begin = from(first), end = to(last);
    double best_cost = std::numeric_limits<double>::infinity();
    std::size_t cut = 0;
    for (std::size_t k = first + 1; k < last; ++k) {
        const long at = from(k);
        if (at - begin < s.min_turn_part_ms || end - at < s.min_turn_part_ms) continue;
        const VoiceProfile left = part_of(whole, begin, at), right = part_of(whole, at, end);
        if (!left.usable() || !right.usable()) continue;
        if (const double cost = pitch_spread_cost(left) + pitch_spread_cost(right); cost < best_cost) best_cost = cost, cut = k;
    }
    if (cut == 0) return;
    if (voice_distance(part_of(whole, begin, from(cut)), part_of(whole, from(cut), end)) < s.turn_distance) return;
    find_turns(line, whole, first, cut, s, out);
    out.push_back(cut);
    find_turns(line, whole, cut, last, s, out);
}

}  // namespace

// The pause between two voices inside [from, to): the quietest 80 ms, widened while the
// level stays within 6 dB of it. Levels are of 10 ms frames.
std::pair<TimeMs, TimeMs> quietest_stretch(const media::AudioBuffer& mono_16k, TimeMs from, TimeMs to) {
    constexpr TimeMs kFrameMs = 10;
    constexpr std::size_t kWindow = 8;
    const media::AudioBuffer part = media::slice_ms(mono_16k, from, to);
    const std::size_t per_frame = static_cast<std::size_t>(mono_16k.sample_rate) * kFrameMs / 1000;
    std::vector<double> level;
    for (std::size_t at = 0; at + per_frame <= part.samples.size(); at += per_frame) {
        double energy = 0;
        for (std::size_t i = at; i < at + per_frame; ++i) energy += static_cast<double>(part.samples[i]) * part.samples[i];
        level.push_back(10.0 * std::log10(energy / static_cast<double>(per_frame) + 1e-12));
    }
    if (level.size() < kWindow) return {(from + to) / 2, (from + to) / 2};
    std::size_t best = 0;
    double best_sum = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + kWindow <= level.size(); ++i) {
        double sum = 0;
        for (std::size_t k = i; k < i + kWindow; ++k) sum += level[k];
        if (sum < best_sum) best_sum = sum, best = i;
    }
    const double ceiling = best_sum / kWindow + 6.0;
    std::size_t first = best, last = best + kWindow;  // [first, last)
    while (first > 0 && level[first - 1] <= ceiling) --first;
    while (last < level.size() && level[last] <= ceiling) ++last;
    return {from + static_cast<TimeMs>(first) * kFrameMs, from + static_cast<TimeMs>(last) * kFrameMs};
}

std::vector<VoiceTurn> PitchSpeakerIdentifier::voice_turns(const media::AudioBuffer& mono_16k, const Line& line) {
    require_mono_16k(mono_16k);
    std::vector<std::size_t> cuts;
    if (line.words.size() < 2 || line.end - line.start < 2 * settings_.min_turn_part_ms) return {};
    const VoiceProfile whole = measure_voice(media::slice_ms(mono_16k, line.start, line.end).samples);
    find_turns(line, whole, 0, line.words.size(), settings_, cuts);
    // Word times are loose (under music especially): the pause is looked for from a word
    // before the cut to a word after it, and the new voice's first word is the first one
    // after the pause.
    std::vector<VoiceTurn> turns;
    const std::size_t n = line.words.size();
    for (const std::size_t k : cuts) {
        const std::size_t lo = k >= 2 ? k - 2 : 0, hi = std::min(n - 1, k + 1);
        const TimeMs from = std::max(line.start, line.words[lo].start), to = std::min(line.end, line.words[hi].end);
        const auto [quiet_from, quiet_to] = quietest_stretch(mono_16k, from, std::max(from, to));
        std::size_t word = k;
        for (std::size_t w = lo + 1; w <= hi; ++w)
            if ((line.words[w].start + line.words[w].end) / 2 >= quiet_to) {
                word = w;
                break;
            }
        if (!turns.empty() && word <= turns.back().word) continue;
        turns.push_back({word, quiet_from, quiet_to});
    }
    return turns;
}

SpeakerAssignment PitchSpeakerIdentifier::identify(const media::AudioBuffer& mono_16k, const std::vector<Line>& lines,
                                                   const std::vector<Character>& known) {
    require_mono_16k(mono_16k);
    SpeakerAssignment result;
    result.line_speakers.assign(lines.size(), std::string());

    std::vector<VoiceProfile> profiles;
    std::vector<std::size_t> line_of_profile;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        throw_if_cancelled();
        const media::AudioBuffer part = media::slice_ms(mono_16k, lines[i].start, lines[i].end);
        VoiceProfile profile = measure_voice(part.samples);
        if (!profile.usable()) continue;
        profiles.push_back(std::move(profile));
        line_of_profile.push_back(i);
    }
    const std::vector<std::vector<std::size_t>> clusters = cluster_profiles(profiles, settings_);

    // A cluster's pitch is the median over all its voiced frames, not a median of medians.
    std::vector<double> cluster_pitch;
    for (const std::vector<std::size_t>& members : clusters) {
        std::vector<double> f0s;
        for (std::size_t m : members) f0s.insert(f0s.end(), profiles[m].f0_hz.begin(), profiles[m].f0_hz.end());
        cluster_pitch.push_back(median_hz(std::move(f0s)));
    }

    const std::vector<std::optional<std::size_t>> known_of_cluster = match_pitches(cluster_pitch, known, settings_.known_match_semitones);
    std::vector<bool> known_taken(known.size(), false);
    for (const auto& k : known_of_cluster)
        if (k) known_taken[*k] = true;

    int next_number = next_c_number(known);
    std::vector<std::string> cluster_ids(clusters.size());
    std::vector<Character> fresh;
    for (std::size_t c = 0; c < clusters.size(); ++c) {
        if (known_of_cluster[c]) {
            cluster_ids[c] = known[*known_of_cluster[c]].id;
            continue;
        }
        Character character;
        character.id = "C" + std::to_string(next_number++);
        character.median_pitch_hz = static_cast<float>(cluster_pitch[c]);
        character.voice_register =
            cluster_pitch[c] < settings_.low_register_below_hz ? VoiceRegister::Low : VoiceRegister::High;
        cluster_ids[c] = character.id;
        fresh.push_back(std::move(character));
    }
    for (std::size_t k = 0; k < known.size(); ++k) {
        if (known_taken[k]) result.characters.push_back(known[k]);
    }
    result.characters.insert(result.characters.end(), fresh.begin(), fresh.end());
    for (std::size_t c = 0; c < clusters.size(); ++c) {
        for (std::size_t m : clusters[c]) result.line_speakers[line_of_profile[m]] = cluster_ids[c];
    }
    return result;
}

std::map<std::string, std::string> PitchSpeakerIdentifier::match_known(const std::vector<Character>& heard,
                                                                      const std::vector<Character>& known) const {
    std::vector<double> pitches;
    for (const Character& h : heard) pitches.push_back(h.median_pitch_hz);
    const auto matched = match_pitches(pitches, known, settings_.known_match_semitones);
    int next_number = next_c_number(known);
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < heard.size(); ++i)
        out[heard[i].id] = matched[i] ? known[*matched[i]].id : "C" + std::to_string(next_number++);
    return out;
}

}  // namespace dramaloc::engines
