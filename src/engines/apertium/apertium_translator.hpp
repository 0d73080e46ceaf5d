#pragma once
// Rule-based machine translation with apertium, registered as "apertium".
//
// Each translate() call runs the `apertium` program (a shell pipeline of lttoolbox and
// transfer stages) once per leg: lines travel as HTML paragraphs so alignment is kept by
// construction and checked on the way back; should a batch ever come back with another
// paragraph count, the lines of that batch are translated one call each.
// Pairs are discovered from the installed mode files (DATADIR/modes/*.mode); a pair that is
// not installed directly is done through Spanish when both legs are (en→es→fr).
//
// Threading: the object is immutable after construction; translate() may run on several
// threads at once (each call has its own processes).
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engines/translate.hpp"

namespace dramaloc::engines {

struct ApertiumOptions {
    std::string program = "apertium";      // name looked up in PATH, or a path
    std::filesystem::path data_dir;        // empty: $APERTIUM_DATADIR or /usr/share/apertium
    std::size_t max_lines_per_call = 400;  // bounds one process's input
};

class ApertiumTranslator final : public Translator {
public:
    // Throws EngineError when the program or its data folder is missing ("install apertium").
    explicit ApertiumTranslator(ApertiumOptions options = {});

    std::string name() const override { return "apertium"; }
    // "apertium-<hash>": the mode files and the size/mtime of every data file they use.
    std::string version() const override { return version_; }
    std::vector<LanguagePair> pairs() const override;
    std::vector<std::string> translate(const std::vector<std::string>& texts, std::string_view from,
                                       std::string_view to, const TranslationContext& context = {}) override;

    // The apertium modes (e.g. {"eng-spa", "es-fr"}) that translate from→to, in order.
    // Throws EngineError naming the installed pairs and the Debian package to install.
    std::vector<std::string> route(std::string_view from, std::string_view to) const;

private:
    // Installed modes: "en>es" → "eng-spa"; regional/variant targets keyed by full tag
    // ("es>pt-br" → "es-pt_BR").
    std::map<std::string, std::string> modes_;
    std::vector<LanguagePair> direct_;
    std::string program_;
    std::filesystem::path data_dir_;
    std::size_t max_lines_per_call_;
    std::string version_;

    std::vector<std::string> run_leg(const std::vector<std::string>& lines, const std::string& mode) const;
    std::vector<std::string> run_batch(const std::vector<std::string>& lines, const std::string& mode,
                                       bool* aligned) const;
};

}  // namespace dramaloc::engines
