#include "engines/ocr.hpp"

#include "engines/backend_registry.hpp"

#ifdef DRAMALOC_WITH_TESSERACT
#include "engines/tesseract/tesseract_recognizer.hpp"
#endif

namespace dramaloc::engines {
namespace {

constexpr KnownBackend kKnownBackends[] = {
    {"tesseract", "DRAMALOC_WITH_TESSERACT=ON (needs libtesseract-dev and tesseract-ocr-chi-sim)"},
};

const std::vector<Backend<TextRecognizer>>& recognizer_backends() {
    static const std::vector<Backend<TextRecognizer>> backends = {
#ifdef DRAMALOC_WITH_TESSERACT
        {"tesseract", [] { return std::unique_ptr<TextRecognizer>(new TesseractRecognizer()); }},
#endif
    };
    return backends;
}

}  // namespace

std::unique_ptr<TextRecognizer> make_text_recognizer(std::string_view name) {
    return create_backend("text recognizer (OCR)", name, recognizer_backends(), kKnownBackends);
}

TextRecognizerLease lease_text_recognizer(std::string_view name) {
    return EnginePool<TextRecognizer>::lease(std::string(name), [&] { return make_text_recognizer(name); });
}

}  // namespace dramaloc::engines
