#include "media/detail/mov_text.hpp"

#include <algorithm>
#include <limits>

namespace dramaloc::media::detail {

namespace {
void put16(std::vector<std::uint8_t>& out, unsigned v) {
    out.push_back(static_cast<std::uint8_t>((v >> 8) & 0xFF));
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    put16(out, v >> 16);
    put16(out, v & 0xFFFF);
}
}  // namespace

std::vector<std::uint8_t> mov_text_sample_entry() {
    std::vector<std::uint8_t> out;
    put32(out, 0);              // displayFlags: no scrolling or karaoke
    out.push_back(1);           // horizontal justification: centre
    out.push_back(0xFF);        // vertical justification: bottom (-1)
    put32(out, 0x00000000);     // background RGBA: transparent
    put16(out, 0);              // default text box top, left, bottom, right: whole track
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);              // default style: startChar, endChar
    put16(out, 0);
    put16(out, 1);              // font ID
    out.push_back(0);           // face style flags: plain
    out.push_back(18);          // font size
    put32(out, 0xFFFFFFFF);     // text RGBA: opaque white
    const std::string font = "Sans-Serif";
    put32(out, static_cast<std::uint32_t>(8 + 2 + 2 + 1 + font.size()));  // FontTableBox
    out.insert(out.end(), {'f', 't', 'a', 'b'});
    put16(out, 1);              // one font
    put16(out, 1);              // its ID
    out.push_back(static_cast<std::uint8_t>(font.size()));
    out.insert(out.end(), font.begin(), font.end());
    return out;
}

std::vector<std::uint8_t> mov_text_sample(std::string_view text) {
    // The length field is 16 bits; a subtitle longer than 64 KiB is cut (nobody reads that).
    const std::size_t size = std::min<std::size_t>(text.size(), std::numeric_limits<std::uint16_t>::max());
    std::vector<std::uint8_t> out;
    out.reserve(size + 2);
    put16(out, static_cast<unsigned>(size));
    out.insert(out.end(), text.begin(), text.begin() + static_cast<std::ptrdiff_t>(size));
    return out;
}

std::string mov_text_sample_text(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return {};
    const std::size_t length = (static_cast<std::size_t>(data[0]) << 8) | data[1];
    if (length > size - 2) return {};
    return std::string(reinterpret_cast<const char*>(data + 2), length);
}

std::vector<TimedText> mov_text_timeline(const std::vector<SubtitleEvent>& events) {
    std::vector<const SubtitleEvent*> sorted;
    for (const SubtitleEvent& e : events)
        if (e.end > e.start && e.end > 0) sorted.push_back(&e);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const SubtitleEvent* a, const SubtitleEvent* b) { return a->start < b->start; });
    std::vector<TimedText> out;
    TimeMs cursor = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        const SubtitleEvent& e = *sorted[i];
        TimeMs start = std::max(e.start, cursor);
        TimeMs end = e.end;
        if (i + 1 < sorted.size()) end = std::min(end, sorted[i + 1]->start);
        if (end <= start) continue;  // fully hidden by its neighbours
        if (start > cursor) out.push_back({cursor, start, ""});
        out.push_back({start, end, e.joined("\n")});
        cursor = end;
    }
    return out;
}

}  // namespace dramaloc::media::detail
