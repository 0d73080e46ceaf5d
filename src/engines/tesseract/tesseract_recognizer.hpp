#pragma once
// tesseract through its C++ API, LSTM models from Debian (tesseract-ocr-chi-sim, -eng).
// Page segmentation: a single uniform block (one or two subtitle lines). Not --psm 7, single
// line: that mode aborts on some slivers of ink and spends minutes on thin strips, and a
// block handles two-line subtitles too. Images that cannot hold a line of text (ink less
// than 8 px tall) are not given to tesseract at all (tesseract_recognizer.cpp).
#include <memory>
#include <optional>
#include <string>

#include "engines/ocr.hpp"

namespace tesseract {
class TessBaseAPI;
}

namespace dramaloc::engines {

class TesseractRecognizer : public TextRecognizer {
public:
    TesseractRecognizer();
    ~TesseractRecognizer() override;
    std::string name() const override { return "tesseract"; }
    std::string version() const override;
    void require_language(std::string_view language) override;
    OcrResult recognize(const GrayImage& image, std::string_view language) override;
    void prepare(std::string_view language) override;

private:
    struct ApiDeleter {
        void operator()(tesseract::TessBaseAPI* api) const;
    };
    void load(const std::string& models);
    std::unique_ptr<tesseract::TessBaseAPI, ApiDeleter> api_;
    std::string loaded_models_;  // "chi_sim+eng"
};

// The tesseract model names for a language tag ("zh" -> "chi_sim+eng"), and the folder they
// are read from (TESSDATA_PREFIX, else Debian's). Exposed for tests and messages.
std::string tesseract_models_for(std::string_view language);
std::string tesseract_data_dir();
// Why an image is malformed (no pixels, fewer bytes than its size), or nullptr.
const char* unreadable_image_reason(const GrayImage& image);
// What tesseract is given for a well-formed image: its ink cropped with a white border, or
// nullopt when the ink cannot be a line of text (none, or under 8 px tall: slivers that
// crash or stall tesseract). Exposed for tests.
std::optional<GrayImage> tesseract_input(const GrayImage& image);

}  // namespace dramaloc::engines
