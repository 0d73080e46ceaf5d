// TTML / IMSC1 / DFXP reader (expat, streaming).
// Understood: xml:lang and tts:extent on <tt>; ttp:frameRate, ttp:frameRateMultiplier,
// ttp:subFrameRate, ttp:tickRate; begin/end/dur on body, div, p and span (parallel
// time containers: a child's times count from its parent's begin); <br/> as a line
// break; nested spans (their text joins the paragraph; their own times are ignored);
// ttm:agent on <p> resolved through <ttm:agent><ttm:name> in the head → speaker.
// Any namespace spelling is accepted for element names (old DFXP files use
// http://www.w3.org/2006/10/ttaf1). Whitespace is collapsed as xml:space="default".
// Styling and regions are not kept. DTD entity declarations are refused: subtitles
// never need them and they are the usual way to blow up an XML parser's memory.
#include <expat.h>

#include <cmath>
#include <map>
#include <memory>

#include "subtitles/format_util.hpp"
#include "subtitles/text.hpp"
#include "subtitles/ttml_time.hpp"

namespace dramaloc::subtitles::detail {

namespace {

constexpr char kNsSeparator = '|';
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";

std::string_view local_name(std::string_view qualified) {
    const std::size_t sep = qualified.rfind(kNsSeparator);
    return sep == std::string_view::npos ? qualified : qualified.substr(sep + 1);
}
std::string_view namespace_of(std::string_view qualified) {
    const std::size_t sep = qualified.rfind(kNsSeparator);
    return sep == std::string_view::npos ? std::string_view{} : qualified.substr(0, sep);
}

struct ParserFree {
    void operator()(XML_Parser p) const noexcept { XML_ParserFree(p); }
};
using ParserPtr = std::unique_ptr<std::remove_pointer_t<XML_Parser>, ParserFree>;

struct Frame {
    std::string name;         // local name
    TimeMs begin = 0;         // absolute
    std::optional<TimeMs> end;  // absolute
};

struct ReaderState {
    XML_Parser parser = nullptr;
    const std::string* source = nullptr;
    SubtitleDocument doc;
    TtmlTiming timing;
    std::vector<Frame> stack;
    // Current paragraph
    bool in_p = false;
    int ignore_depth = 0;  // >0 inside <metadata> etc. within a paragraph
    std::vector<std::string> lines;
    SubtitleEvent event;
    std::string agent_ref;
    std::vector<std::pair<std::size_t, std::string>> paragraph_agents;  // (event index, agent id) resolved at end
    std::string root;  // local name of the document element
    // Agents declared in the head
    std::map<std::string, std::string> agent_names;
    std::string current_agent_id;
    bool in_agent_name = false;
    std::string agent_name_text;
    // First error (reported after the parser stops: exceptions must not cross expat's C frames)
    std::string error;
    std::size_t error_line = 0;

    std::size_t line() const { return static_cast<std::size_t>(XML_GetCurrentLineNumber(parser)); }
    void stop(std::string message) {
        if (error.empty()) {
            error = std::move(message);
            error_line = line();
        }
        XML_StopParser(parser, XML_FALSE);
    }
};

std::optional<double> parse_positive(std::string_view s) {
    try {
        std::size_t used = 0;
        const double v = std::stod(std::string(s), &used);
        if (used != s.size() || !(v > 0) || !std::isfinite(v)) return std::nullopt;
        return v;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void read_tt_attributes(ReaderState& st, const XML_Char** attrs) {
    std::optional<double> frame_rate, multiplier = 1.0, tick_rate, sub_frame_rate;
    for (int i = 0; attrs[i]; i += 2) {
        const std::string_view qn = attrs[i];
        const std::string_view value = attrs[i + 1];
        const std::string_view name = local_name(qn);
        if (name == "lang" && namespace_of(qn) == kXmlNs) {
            st.doc.language = std::string(trim(value));
        } else if (name == "frameRate") {
            frame_rate = parse_positive(trim(value));
            if (!frame_rate) return st.stop("ttp:frameRate must be a positive number, found " + quote_excerpt(value));
        } else if (name == "frameRateMultiplier") {
            const std::string_view v = trim(value);
            const std::size_t space = v.find(' ');
            const auto num = parse_positive(v.substr(0, space));
            const auto den = space == std::string_view::npos ? std::optional<double>{}
                                                             : parse_positive(trim(v.substr(space + 1)));
            if (!num || !den)
                return st.stop("ttp:frameRateMultiplier must be two numbers like \"1000 1001\", found " +
                               quote_excerpt(value));
            multiplier = *num / *den;
        } else if (name == "tickRate") {
            tick_rate = parse_positive(trim(value));
            if (!tick_rate) return st.stop("ttp:tickRate must be a positive number, found " + quote_excerpt(value));
        } else if (name == "subFrameRate") {
            sub_frame_rate = parse_positive(trim(value));
        } else if (name == "extent") {
            int w = 0, h = 0;
            if (std::sscanf(std::string(value).c_str(), "%dpx %dpx", &w, &h) == 2 && w > 0 && h > 0) {
                st.doc.video_width = w;
                st.doc.video_height = h;
            }
        }
    }
    if (frame_rate) st.timing.frame_rate = *frame_rate * *multiplier;
    if (sub_frame_rate) st.timing.sub_frame_rate = *sub_frame_rate;
    if (tick_rate) st.timing.tick_rate = *tick_rate;
    else if (frame_rate) st.timing.tick_rate = st.timing.frame_rate * st.timing.sub_frame_rate;
}

// Resolves begin/end/dur of a timed element against its parent frame.
bool resolve_times(ReaderState& st, const XML_Char** attrs, Frame& frame) {
    const Frame* parent = st.stack.empty() ? nullptr : &st.stack.back();
    const TimeMs parent_begin = parent ? parent->begin : 0;
    std::optional<TimeMs> begin, end, dur;
    for (int i = 0; attrs[i]; i += 2) {
        const std::string_view qn = attrs[i];
        if (!namespace_of(qn).empty()) continue;
        std::optional<TimeMs>* target = qn == "begin" ? &begin : qn == "end" ? &end : qn == "dur" ? &dur : nullptr;
        if (!target) continue;
        *target = parse_ttml_time(trim(attrs[i + 1]), st.timing);
        if (!*target) {
            st.stop("unrecognised time " + quote_excerpt(attrs[i + 1]) + " in " + std::string(qn) +
                    "; expected HH:MM:SS.mmm, HH:MM:SS:FF or an offset like 10.5s, 500ms, 90000t");
            return false;
        }
    }
    frame.begin = parent_begin + begin.value_or(0);
    if (end) frame.end = parent_begin + *end;
    else if (dur) frame.end = frame.begin + *dur;
    if (parent && parent->end && (!frame.end || *frame.end > *parent->end)) frame.end = parent->end;
    return true;
}

void XMLCALL on_start(void* user, const XML_Char* qname, const XML_Char** attrs) {
    auto& st = *static_cast<ReaderState*>(user);
    const std::string_view name = local_name(qname);
    if (st.root.empty()) {
        st.root = std::string(name);
        if (name != "tt")
            return st.stop("not a TTML document: the root element is <" + st.root + ">, expected <tt>");
    }
    Frame frame;
    frame.name = std::string(name);
    if (st.in_p) {
        if (name == "br" && st.ignore_depth == 0) st.lines.emplace_back();
        else if (name != "span" && name != "br") ++st.ignore_depth;
        if (!st.stack.empty()) {
            frame.begin = st.stack.back().begin;
            frame.end = st.stack.back().end;
        }
        st.stack.push_back(std::move(frame));
        return;
    }
    if (name == "tt") {
        read_tt_attributes(st, attrs);
    } else if (name == "body" || name == "div" || name == "p") {
        if (!resolve_times(st, attrs, frame)) return;
        if (name == "p") {
            if (!frame.end)
                return st.stop("<p> has no end or dur attribute (and no enclosing element gives one); add "
                               "end=\"HH:MM:SS.mmm\"");
            st.in_p = true;
            st.lines.assign(1, std::string());
            st.event = SubtitleEvent{};
            st.event.start = frame.begin;
            st.event.end = *frame.end;
            st.agent_ref.clear();
            for (int i = 0; attrs[i]; i += 2)
                if (local_name(attrs[i]) == "agent" && !namespace_of(attrs[i]).empty())
                    st.agent_ref = std::string(trim(attrs[i + 1]));
        }
    } else if (name == "agent") {
        st.current_agent_id.clear();
        for (int i = 0; attrs[i]; i += 2)
            if (local_name(attrs[i]) == "id" && namespace_of(attrs[i]) == kXmlNs) st.current_agent_id = attrs[i + 1];
    } else if (name == "name" && !st.current_agent_id.empty()) {
        st.in_agent_name = true;
        st.agent_name_text.clear();
    }
    if (!st.stack.empty() && name != "body" && name != "div" && name != "p") {
        frame.begin = st.stack.back().begin;
        frame.end = st.stack.back().end;
    }
    st.stack.push_back(std::move(frame));
}

void XMLCALL on_end(void* user, const XML_Char* qname) {
    auto& st = *static_cast<ReaderState*>(user);
    const std::string_view name = local_name(qname);
    if (!st.stack.empty()) st.stack.pop_back();
    if (st.in_p) {
        if (name == "p" && st.ignore_depth == 0) {
            st.in_p = false;
            st.event.id = static_cast<int>(st.doc.events.size()) + 1;
            st.event.lines = clean_display_lines(std::move(st.lines));
            if (!st.agent_ref.empty()) st.paragraph_agents.emplace_back(st.doc.events.size(), st.agent_ref);
            st.doc.events.push_back(std::move(st.event));
        } else if (name != "span" && name != "br" && st.ignore_depth > 0) {
            --st.ignore_depth;
        }
        return;
    }
    if (name == "name" && st.in_agent_name) {
        st.in_agent_name = false;
        st.agent_names[st.current_agent_id] = std::string(trim(st.agent_name_text));
    } else if (name == "agent") {
        st.current_agent_id.clear();
    }
}

void XMLCALL on_text(void* user, const XML_Char* s, int len) {
    auto& st = *static_cast<ReaderState*>(user);
    const std::string_view text(s, static_cast<std::size_t>(len));
    if (st.in_agent_name) {
        st.agent_name_text += text;
        return;
    }
    if (!st.in_p || st.ignore_depth > 0) return;
    std::string& line = st.lines.back();
    for (char c : text) {
        const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!space) line += c;
        else if (!line.empty() && line.back() != ' ') line += ' ';
    }
}

void XMLCALL on_entity_declaration(void* user, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                                   const XML_Char*, const XML_Char*, const XML_Char*) {
    static_cast<ReaderState*>(user)->stop("the document declares XML entities, which TTML subtitles never need");
}

}  // namespace

SubtitleDocument parse_ttml(std::string_view text, const std::string& source_name) {
    ParserPtr parser(XML_ParserCreateNS("UTF-8", kNsSeparator));
    if (!parser) throw EngineError(source_name + ": cannot create an XML parser (out of memory?)");
    ReaderState st;
    st.parser = parser.get();
    st.source = &source_name;
    XML_SetUserData(parser.get(), &st);
    XML_SetElementHandler(parser.get(), on_start, on_end);
    XML_SetCharacterDataHandler(parser.get(), on_text);
    XML_SetEntityDeclHandler(parser.get(), on_entity_declaration);

    constexpr std::size_t kChunk = 1u << 20;
    for (std::size_t pos = 0;;) {
        const std::size_t n = std::min(kChunk, text.size() - pos);
        const bool last = pos + n >= text.size();
        if (XML_Parse(parser.get(), text.data() + pos, static_cast<int>(n), last ? XML_TRUE : XML_FALSE) ==
            XML_STATUS_ERROR) {
            if (!st.error.empty()) fail_at(source_name, st.error_line, st.error);
            fail_at(source_name, static_cast<std::size_t>(XML_GetCurrentLineNumber(parser.get())),
                    std::string("malformed XML (") + XML_ErrorString(XML_GetErrorCode(parser.get())) +
                        "); check that the file is complete TTML");
        }
        pos += n;
        if (last) break;
    }
    if (st.root.empty()) fail_at(source_name, 1, "not a TTML document: no <tt> element");
    for (const auto& [index, agent] : st.paragraph_agents) {
        auto found = st.agent_names.find(agent);
        st.doc.events[index].speaker = found != st.agent_names.end() ? found->second : agent;
    }
    return st.doc;
}

}  // namespace dramaloc::subtitles::detail
