#pragma once
// Text recognition (OCR) of one prepared image: a burned-in subtitle's text mask, dark
// text on a white background, one or two lines.
//
// Contract
//  - recognize() never throws for what it finds in the image: an image the engine cannot
//    read returns a result with `failed` set and a reason, and the object stays usable. A
//    backend keeps away from its library the images known to crash it (tesseract: slivers
//    of ink a few pixels tall). It throws EngineError only when the engine cannot work at
//    all (a missing model), Cancelled never.
//  - Languages are BCP-47 tags ("zh", "en"); a backend maps them to its models.
//  - Threading: one object per thread; objects are independent.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engines/engine_pool.hpp"

namespace dramaloc::engines {

// 8-bit gray, `width` bytes per row, 0 = ink, 255 = paper.
struct GrayImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};

// One character as the engine read it, with how sure it was and what else it considered.
struct OcrSymbol {
    std::string text;                                          // UTF-8, one character (rarely a ligature)
    float confidence = 0.0f;                                   // 0..1
    std::vector<std::pair<std::string, float>> alternatives;   // other readings, best first (may be empty)
    bool starts_word = false;                                  // a word (or, for CJK, a run) begins here
    bool starts_line = false;                                  // a text line begins here
};

struct OcrResult {
    std::string text;          // UTF-8, lines joined with '\n', trimmed
    float confidence = 0.0f;   // 0..1, the engine's mean word confidence
    std::vector<OcrSymbol> symbols;  // per character, when the backend gives them (tesseract does)
    bool failed = false;       // the engine failed on this image; `error` says how
    std::string error;
};

class TextRecognizer {
public:
    virtual ~TextRecognizer() = default;
    virtual std::string name() const = 0;
    // Identity for artifact keys: backend, library version, models.
    virtual std::string version() const = 0;
    // Throws EngineError naming the Debian package when the model for `language` is missing.
    virtual void require_language(std::string_view language) = 0;
    virtual OcrResult recognize(const GrayImage& image, std::string_view language) = 0;
    // Loads what recognising `language` takes (models), so that the first recognize() does not
    // wait for it: callers warm engines up while they have other work going. Throws like
    // require_language.
    virtual void prepare(std::string_view language) { require_language(language); }
};

// Backends by name ("tesseract"); throws EngineError listing those that exist.
std::unique_ptr<TextRecognizer> make_text_recognizer(std::string_view name);

// One from the run's pool (engine_pool.hpp): made once per worker, reused by every episode
// after it (a tesseract engine keeps its loaded models). The lease gives it back.
using TextRecognizerLease = EnginePool<TextRecognizer>::Lease;
TextRecognizerLease lease_text_recognizer(std::string_view name);

}  // namespace dramaloc::engines
