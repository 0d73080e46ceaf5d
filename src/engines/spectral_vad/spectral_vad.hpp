#pragma once
// Energy + spectral-shape voice activity detection, registered as "spectral".
//
// Speech is where the speech-band (300–4000 Hz) energy of 25 ms frames rises well above a
// noise floor estimated locally (a low percentile over a few seconds around each frame)
// AND that energy is new: not explained by sound that stays steady in its frequency bins
// for a second or more (a music bed, sustained notes, hum), which speech never does.
// Regions must also look like speech rather than broadband noise (low spectral flatness
// somewhere in them). Regions get hysteresis, a hangover, soft onsets and
// tails, gaps shorter than `bridge_gap_ms` bridged and blips shorter than `min_region_ms`
// dropped. A region is then cut at every pause inside it: a stretch where the level stays
// well under the region's own speech level, which is how a pause between two lines sounds
// when music plays on under it. Pure computation: the same samples always give the same
// regions.
#include "engines/vad.hpp"

namespace dramaloc::engines {

struct SpectralVadSettings {
    double enter_db = 9.0;          // a region starts this far above the local floor
    double stay_db = 5.0;           // …and continues while the frame stays this far above it
    double edge_db = 3.0;           // onsets/tails are extended while this far above it
    double enter_novelty_db = 8.0;  // …and only where the sound is new, not a steady bed:
    double stay_novelty_db = 3.0;   //    power above the steady level over that level
    double edge_novelty_db = 0.0;
    double absolute_floor_dbfs = -55.0;  // quieter frames are never speech
    double floor_percentile = 0.10;
    TimeMs floor_window_ms = 6000;  // span of the local floor estimate, centred on the frame
    TimeMs hangover_ms = 80;
    TimeMs max_edge_extension_ms = 150;
    TimeMs bridge_gap_ms = 300;
    TimeMs min_region_ms = 200;
    double max_voiced_flatness = 0.30;  // a frame this tonal (or more) counts as voiced
    TimeMs min_voiced_ms = 60;          // a region needs this much voiced sound
    // Under music the hysteresis can carry a region across a pause between two lines: a
    // region is cut where its speech-band level stays this far under the region's speech
    // level (its 80th percentile) for at least pause_ms, with sound (above the absolute
    // floor) under it; silent pauses are left to the hysteresis and the bridge.
    double pause_below_speech_db = 12.0;
    TimeMs pause_ms = 250;
};

class SpectralVoiceActivityDetector final : public VoiceActivityDetector {
public:
    explicit SpectralVoiceActivityDetector(SpectralVadSettings settings = {});

    std::string name() const override { return "spectral"; }
    std::string version() const override;
    // Throws InputError unless `mono_16k` is mono at 16 kHz.
    std::vector<SpeechRegion> detect(const media::AudioBuffer& mono_16k) override;

private:
    SpectralVadSettings settings_;
};

}  // namespace dramaloc::engines
