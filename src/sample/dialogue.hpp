#pragma once
// The built-in scene every sample episode speaks: short English lines with simple,
// common words (so a small recognizer can follow), each with its Simplified Chinese
// parallel text and a speaker. The lines are fixed data: tests, the demo and the
// benchmarks all compare against them.
#include <optional>
#include <span>
#include <string_view>

namespace dramaloc::sample {

struct SampleCharacter {
    std::string_view id;     // "lin"
    std::string_view name;   // "Lin Xia"
    std::string_view voice;  // espeak-ng voice with variant
    int pitch;               // espeak-ng pitch 1..100 (50 normal)
    int rate_wpm;
    float pan;               // -1 left … +1 right; voices stay near the centre
};

struct DialogueLine {
    std::string_view speaker;  // SampleCharacter::id
    std::string_view english;
    std::string_view chinese;  // Simplified Chinese, one subtitle line
};

// Which scene an episode speaks: the standard one (lines of 4-17 Chinese characters), short
// lines (3-8 characters, the hardest case for burned-in subtitle OCR: little text to read
// against a busy background), or varied lines (characters that look alike, every full-width
// mark, Latin letters and digits inside Chinese text: what OCR must get exactly right).
enum class Scene { Standard, Short, Varied };
const char* to_string(Scene scene) noexcept;
std::optional<Scene> scene_from_string(std::string_view name) noexcept;

std::span<const SampleCharacter> sample_characters();
std::span<const DialogueLine> sample_dialogue(Scene scene = Scene::Standard);
const SampleCharacter& sample_character(std::string_view id);  // throws std::out_of_range

}  // namespace dramaloc::sample
