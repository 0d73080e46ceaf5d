#include "engines/apertium/apertium_translator.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <set>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/fs.hpp"
#include "core/hash.hpp"
#include "core/language.hpp"
#include "engines/apertium/apertium_text.hpp"
#include "core/subprocess.hpp"

namespace dramaloc::engines {
namespace {

namespace fs = std::filesystem;
using apertium::clean_translation;
using apertium::is_blank;
using apertium::split_html_paragraphs;
using apertium::to_html_paragraphs;

constexpr std::string_view kPivot = "es";

// Debian packages with apertium pairs, for telling a user what to install.
struct KnownPackage {
    std::string_view package;
    std::string_view from;
    std::string_view to;
};
constexpr KnownPackage kPackages[] = {
    {"apertium-en-es", "en", "es"}, {"apertium-en-es", "es", "en"}, {"apertium-fr-es", "fr", "es"},
    {"apertium-fr-es", "es", "fr"}, {"apertium-es-pt", "es", "pt"}, {"apertium-es-pt", "pt", "es"},
    {"apertium-es-it", "es", "it"}, {"apertium-es-it", "it", "es"}, {"apertium-es-ro", "ro", "es"},
    {"apertium-es-ca", "es", "ca"}, {"apertium-es-ca", "ca", "es"}, {"apertium-es-gl", "es", "gl"},
    {"apertium-es-gl", "gl", "es"},
};

std::string lowercase(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "pt_BR" / "PT-br" → "pt-br"
std::string normalize_tag(std::string_view tag) {
    std::string out = lowercase(tag);
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
}

std::string primary_subtag(std::string_view tag) {
    const std::string norm = normalize_tag(tag);
    return norm.substr(0, norm.find('-'));
}

// apertium codes are ISO 639-3 ("eng") or 639-1 ("es"); dramaloc speaks BCP-47 ("en").
std::string bcp47_of(std::string_view apertium_code) {
    if (const auto info = find_language(apertium_code)) return lowercase(info->bcp47);
    return lowercase(apertium_code);
}

std::string key(std::string_view from, std::string_view to) { return std::string(from) + ">" + std::string(to); }

std::string package_for(std::string_view from, std::string_view to) {
    for (const KnownPackage& p : kPackages) {
        if (p.from == from && p.to == to) return std::string(p.package);
    }
    return {};
}

std::string first_line(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    if (line.size() > 300) line = line.substr(0, 300) + "…";
    return line;
}

fs::path default_data_dir() {
    if (const char* env = std::getenv("APERTIUM_DATADIR"); env != nullptr && *env != '\0') return env;
    return "/usr/share/apertium";
}

void hash_file_identity(Hasher& hasher, const std::string& path) {
    struct stat st {};
    hasher.field(path);
    if (::stat(path.c_str(), &st) == 0) {
        hasher.field(static_cast<std::int64_t>(st.st_size));
        hasher.field(static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
    } else {
        hasher.field(std::int64_t{-1});
    }
}

}  // namespace

ApertiumTranslator::ApertiumTranslator(ApertiumOptions options)
    : data_dir_(options.data_dir.empty() ? default_data_dir() : options.data_dir),
      max_lines_per_call_(std::max<std::size_t>(1, options.max_lines_per_call)) {
    program_ = find_in_path(options.program);
    if (program_.empty()) {
        throw EngineError("the apertium program (\"" + options.program +
                          "\") was not found; install apertium (sudo apt-get install apertium) and a language pair such as apertium-en-es");
    }
    const fs::path modes_dir = data_dir_ / "modes";
    std::error_code ec;
    std::vector<fs::path> mode_files;
    for (const auto& entry : fs::directory_iterator(modes_dir, ec)) {
        if (entry.path().extension() == ".mode") mode_files.push_back(entry.path());
    }
    if (ec) {
        throw EngineError("apertium has no language data in " + modes_dir.string() +
                          "; install a pair such as apertium-en-es (sudo apt-get install apertium-en-es)");
    }
    std::sort(mode_files.begin(), mode_files.end());

    Hasher hasher;
    hash_file_identity(hasher, program_);
    std::set<std::pair<std::string, std::string>> direct;
    for (const fs::path& file : mode_files) {
        const std::string mode = file.stem().string();
        const std::string text = read_text_file(file, 1u << 20);
        hasher.field(mode).field(text);
        // Every data file a mode uses is quoted: '/usr/share/apertium/…/eng-spa.automorf.bin'.
        for (std::size_t q = text.find('\''); q != std::string::npos; q = text.find('\'', q + 1)) {
            const std::size_t end = text.find('\'', q + 1);
            if (end == std::string::npos) break;
            if (text[q + 1] == '/') hash_file_identity(hasher, text.substr(q + 1, end - q - 1));
            q = end;
        }
        // "eng-spa", "es-pt_BR", "spa-cat_valencia"; "eco-es-fr" and other three-part modes
        // are developer variants, not directions.
        const std::size_t dash = mode.find('-');
        if (dash == std::string::npos || mode.find('-', dash + 1) != std::string::npos) continue;
        const std::string from = bcp47_of(primary_subtag(mode.substr(0, dash)));
        const std::string target = mode.substr(dash + 1);
        const std::size_t underscore = target.find('_');
        const std::string to = bcp47_of(target.substr(0, underscore));
        if (underscore == std::string::npos) {
            modes_[key(from, to)] = mode;
        } else {
            modes_.emplace(key(from, to + "-" + normalize_tag(target.substr(underscore + 1))), mode);
        }
        direct.emplace(from, to);
    }
    // A language reachable only through a variant mode (spa-cat_valencia alone) still counts.
    for (const auto& [from, to] : direct) {
        if (modes_.count(key(from, to)) == 0) {
            const auto variant = modes_.lower_bound(key(from, to + "-"));
            if (variant != modes_.end()) modes_[key(from, to)] = variant->second;
        }
        direct_.push_back(LanguagePair{from, to});
    }
    version_ = "apertium-" + hasher.hex().substr(0, 16);
}

std::vector<LanguagePair> ApertiumTranslator::pairs() const {
    std::vector<LanguagePair> out = direct_;
    for (const LanguagePair& first : direct_) {
        if (first.to != kPivot) continue;
        for (const LanguagePair& second : direct_) {
            if (second.from != kPivot || second.to == first.from) continue;
            if (modes_.count(key(first.from, second.to)) != 0) continue;
            out.push_back(LanguagePair{first.from, second.to});
        }
    }
    return out;
}

std::vector<std::string> ApertiumTranslator::route(std::string_view from, std::string_view to) const {
    const std::string f = primary_subtag(from);
    const std::string t = primary_subtag(to);
    const std::string t_full = normalize_tag(to);
    const auto find = [&](std::string_view a, std::string_view b_full, std::string_view b) -> std::string {
        if (auto it = modes_.find(key(a, b_full)); it != modes_.end()) return it->second;
        if (auto it = modes_.find(key(a, b)); it != modes_.end()) return it->second;
        return {};
    };
    if (f != t) {
        if (std::string direct = find(f, t_full, t); !direct.empty()) return {direct};
        if (f != kPivot && t != kPivot) {
            std::string first = find(f, kPivot, kPivot);
            std::string second = find(kPivot, t_full, t);
            if (!first.empty() && !second.empty()) return {first, second};
        }
    }

    std::string installed;
    for (const LanguagePair& p : pairs()) installed += (installed.empty() ? "" : ", ") + p.from + "→" + p.to;
    std::string advice;
    std::vector<std::string> missing;
    if (std::string direct = package_for(f, t); !direct.empty()) {
        missing.push_back(direct);
    } else if (f != kPivot && t != kPivot && !package_for(f, kPivot).empty() && !package_for(kPivot, t).empty()) {
        if (find(f, kPivot, kPivot).empty()) missing.push_back(package_for(f, kPivot));
        if (find(kPivot, t_full, t).empty()) missing.push_back(package_for(kPivot, t));
    }
    if (!missing.empty()) {
        std::string list;
        for (const std::string& m : missing) list += (list.empty() ? "" : " ") + m;
        advice = "install " + list + " (sudo apt-get install " + list + ")";
    } else {
        std::set<std::string_view> packages;
        std::string list;
        for (const KnownPackage& p : kPackages) {
            if (packages.insert(p.package).second) list += (list.empty() ? "" : ", ") + std::string(p.package);
        }
        advice = "no Debian apertium package provides " + f + "→" + t + " (packaged pairs: " + list +
                 "); use another translator backend for it";
    }
    throw EngineError("apertium cannot translate " + f + "→" + t + " (directly or through " + std::string(kPivot) +
                      "); installed pairs: " + (installed.empty() ? std::string("none") : installed) + "; " +
                      advice);
}

std::vector<std::string> ApertiumTranslator::translate(const std::vector<std::string>& texts, std::string_view from,
                                                       std::string_view to, const TranslationContext& /*context*/) {
    // apertium is context-free rule-based MT: the scene context and glossary are not used.
    const std::vector<std::string> legs = route(from, to);  // unsupported pairs fail before any work
    std::vector<std::string> out(texts.size());
    std::vector<std::size_t> positions;
    std::vector<std::string> current;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (is_blank(texts[i])) continue;  // nothing to translate; keeps its slot as ""
        positions.push_back(i);
        current.push_back(texts[i]);
    }
    if (current.empty()) return out;
    for (const std::string& mode : legs) current = run_leg(current, mode);
    for (std::size_t k = 0; k < positions.size(); ++k) out[positions[k]] = std::move(current[k]);
    return out;
}

std::vector<std::string> ApertiumTranslator::run_leg(const std::vector<std::string>& lines,
                                                     const std::string& mode) const {
    std::vector<std::string> out;
    out.reserve(lines.size());
    for (std::size_t begin = 0; begin < lines.size(); begin += max_lines_per_call_) {
        throw_if_cancelled();
        const std::size_t end = std::min(lines.size(), begin + max_lines_per_call_);
        const std::vector<std::string> batch(lines.begin() + static_cast<std::ptrdiff_t>(begin),
                                             lines.begin() + static_cast<std::ptrdiff_t>(end));
        bool aligned = false;
        std::vector<std::string> translated = run_batch(batch, mode, &aligned);
        if (!aligned) {
            // Something in this batch broke the paragraph framing: one call per line, so a
            // bad line can only ever affect itself.
            translated.clear();
            for (const std::string& line : batch) {
                std::vector<std::string> one = run_batch({line}, mode, &aligned);
                if (!aligned) {
                    throw EngineError("apertium " + mode + " did not return one paragraph for the line \"" +
                                      first_line(line) + "\"; edit the line or use another translator");
                }
                translated.push_back(std::move(one.front()));
            }
        }
        for (std::string& t : translated) out.push_back(std::move(t));
    }
    return out;
}

std::vector<std::string> ApertiumTranslator::run_batch(const std::vector<std::string>& lines, const std::string& mode,
                                                       bool* aligned) const {
    const std::string input = to_html_paragraphs(lines);
    // Generous: a cold start loads the transducers (~0.3 s), then thousands of words per second.
    const auto limit = std::chrono::milliseconds(60000 + 20 * static_cast<std::int64_t>(input.size()));
    const ProcessResult result =
        run_process({program_, "-d", data_dir_.string(), "-u", "-f", "html", mode}, input, limit);
    if (result.exit_code != 0) {
        throw EngineError("apertium " + mode + " failed (exit " + std::to_string(result.exit_code) +
                          "): " + first_line(result.err.empty() ? std::string("no message") : result.err));
    }
    std::optional<std::vector<std::string>> paragraphs = split_html_paragraphs(result.out, lines.size());
    *aligned = paragraphs.has_value();
    std::vector<std::string> out;
    if (!paragraphs) return out;
    out.reserve(paragraphs->size());
    for (const std::string& p : *paragraphs) out.push_back(clean_translation(p));
    return out;
}

}  // namespace dramaloc::engines
