#pragma once
// tesseract through its C++ API, LSTM models from Debian (tesseract-ocr-chi-sim, -eng).
// Page segmentation: a single uniform block (one or two subtitle lines); --psm 7, single
// line, is the mode seen to raise SIGFPE, and a block handles two-line subtitles too.
#include <memory>
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

}  // namespace dramaloc::engines
