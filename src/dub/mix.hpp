#pragma once
// The dub track: fitted clips placed on the episode timeline over a background, then
// loudness-normalised (docs/design.md §1).
//
// Background: the original soundtrack with its dialogue pushed down by a smooth gain
// envelope (raised-cosine ramps in dB over attack_ms before and release_ms after each
// region, so no clicks) inside the source speech regions and under every clip. For stereo
// the centre (mid) is attenuated and the sides kept, so music and effects mixed wide stay
// at full level. A provided music-and-effects stem replaces all of that.
#include <filesystem>
#include <vector>

#include "core/time.hpp"
#include "dub/loudness.hpp"
#include "media/audio.hpp"

namespace dramaloc::dub {

struct ClipPlacement {
    TimeMs start = 0;
    const media::AudioBuffer* clip = nullptr;  // any rate/channels; mixed to mono; not owned
};

struct MixOptions {
    double duck_db = -24.0;
    TimeMs attack_ms = 80;
    TimeMs release_ms = 250;
    bool centre_removal_for_stereo = true;
    double target_lufs = -16.0;
    double max_true_peak = -1.0;  // dBTP
    int sample_rate = 48000;
    bool stems = false;  // the mix stage keeps the M&E and dialogue stems beside the mix
};

// The two stems a dub mix is the sum of, as 16-bit stereo WAVs at the mix rate and the mix's
// loudness gain (so music-and-effects + dialogue is the mix before its peak limiter):
// - music_effects: the background as it sits under the dub (the provided stem, else the
//   original ducked inside speech and under every clip, which keeps a faint trace of the
//   original dialogue there);
// - dialogue: the dub clips alone on the timeline.
struct StemFiles {
    std::filesystem::path music_effects;
    std::filesystem::path dialogue;
};

// Where each clip sits on the timeline ([start, start + its duration)).
std::vector<SpeechRegionMs> clip_regions(const std::vector<ClipPlacement>& clips);

// The background alone, before loudness normalisation: `original` (any rate, mono or stereo;
// more channels are downmixed) at options.sample_rate, stereo, ducked inside `regions`.
media::AudioBuffer duck_background(const media::AudioBuffer& original, const std::vector<SpeechRegionMs>& regions,
                                   const MixOptions& options);

// The dub track: 48 kHz (options.sample_rate) stereo, as long as `original`; clips start at
// their exact sample (ms_to_samples(start)) on both channels; anything past the end of the
// original is cut. Throws InputError for a null clip or an unusable format.
media::AudioBuffer mix_dub(const media::AudioBuffer& original, const std::vector<SpeechRegionMs>& source_speech,
                           const std::vector<ClipPlacement>& clips, const media::AudioBuffer* background_stem,
                           const MixOptions& options = {});

// mix_dub for long episodes: the original (and a stem) are read from WAV files a block at a
// time and the normalised mix is written to `output` (16-bit WAV, atomically), so memory does
// not grow with the episode. The same mix as mix_dub; returns the loudness before and after.
// With `stems`, its two stems are written too (atomically, each).
NormalizeResult mix_dub_to_wav(const std::filesystem::path& original_wav, const std::vector<SpeechRegionMs>& source_speech,
                               const std::vector<ClipPlacement>& clips, const std::filesystem::path* background_stem_wav,
                               const MixOptions& options, const std::filesystem::path& output, const StemFiles* stems = nullptr);

}  // namespace dramaloc::dub
