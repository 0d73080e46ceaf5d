// libFuzzer target: the vtt reader must either parse or throw dramaloc::Error —
// never crash, hang or leak — on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "subtitles/format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dramaloc::subtitles;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    SubtitleDocument doc;
    try {
        doc = parse_subtitles(text, SubtitleFormat::WebVtt, "fuzz");
    } catch (const dramaloc::Error&) {
        return 0;
    }
    // What we read, we must be able to write and read back with the same number of
    // events; anything else is a bug in the writer (or reader), so crash loudly.
    const SubtitleDocument again = parse_subtitles(to_string(doc, SubtitleFormat::WebVtt), SubtitleFormat::WebVtt, "fuzz-rewritten");
    if (again.events.size() != doc.events.size()) __builtin_trap();
    return 0;
}
