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

// A stretch of time with speech in it, [start, end) in ms. (dub does not depend on engines,
// so it has its own type rather than the VAD's.)
struct SpeechRegionMs {
    TimeMs start = 0;
    TimeMs end = 0;
};

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
NormalizeResult mix_dub_to_wav(const std::filesystem::path& original_wav, const std::vector<SpeechRegionMs>& source_speech,
                               const std::vector<ClipPlacement>& clips, const std::filesystem::path* background_stem_wav,
                               const MixOptions& options, const std::filesystem::path& output);

}  // namespace dramaloc::dub
