#include "engines/tesseract/tesseract_recognizer.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <tesseract/baseapi.h>

#include "core/error.hpp"
#include "core/language.hpp"
#include "engines/tesseract/fpe_guard.hpp"

namespace dramaloc::engines {
namespace {

// Debian's libtesseract is built with OpenMP, and its LSTM asks for teams of threads with an
// explicit num_threads clause, which omp_set_num_threads does not override. dramaloc runs one
// engine per worker thread, so those teams would only oversubscribe the cores (and a SIGFPE on
// one of their threads would escape the guard): making nested and top-level parallel regions
// inactive on this thread (max-active-levels 0) runs every region on the calling thread alone.
// Through dlsym, so that we do not link libgomp ourselves.
void limit_openmp_to_this_thread() {
    using SetInt = void (*)(int);
    static const auto set_levels = reinterpret_cast<SetInt>(dlsym(RTLD_DEFAULT, "omp_set_max_active_levels"));
    static const auto set_threads = reinterpret_cast<SetInt>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
    if (set_levels) set_levels(0);
    if (set_threads) set_threads(1);
}

std::string trimmed(std::string s) {
    const auto first = s.find_first_not_of(" \t\r\n\f");
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n\f");
    return s.substr(first, last - first + 1);
}

std::string debian_package_for(const std::string& model) {
    std::string package = "tesseract-ocr-";
    for (char c : model) package += c == '_' ? '-' : c;
    return package;
}

}  // namespace

std::string tesseract_data_dir() {
    if (const char* prefix = std::getenv("TESSDATA_PREFIX"); prefix && *prefix) return prefix;
    return "/usr/share/tesseract-ocr/5/tessdata";
}

std::string tesseract_models_for(std::string_view language) {
    const std::string tag(language);
    if (tag == "zh" || tag == "zh-Hans" || tag == "zh-CN" || tag == "zh-SG") return "chi_sim+eng";
    if (tag == "zh-Hant" || tag == "zh-TW" || tag == "zh-HK") return "chi_tra+eng";
    const auto info = find_language(tag);
    if (!info) throw InputError("unknown language \"" + tag + "\" for OCR; use a BCP-47 tag such as zh or en");
    if (info->bcp47 == "en") return "eng";
    if (info->bcp47 == "zh") return "chi_sim+eng";
    return info->iso639_2 + "+eng";
}

void TesseractRecognizer::ApiDeleter::operator()(tesseract::TessBaseAPI* api) const {
    api->End();
    delete api;
}

TesseractRecognizer::TesseractRecognizer() = default;
TesseractRecognizer::~TesseractRecognizer() = default;

std::string TesseractRecognizer::version() const {
    // The models are part of the identity: another data folder or an upgraded model package
    // must not reuse results read with the old ones.
    std::string identity = std::string("tesseract-") + tesseract::TessBaseAPI::Version() + "/psm6/lstm";
    std::error_code ec;
    for (const char* model : {"chi_sim", "chi_tra", "eng"}) {
        const auto file = std::filesystem::path(tesseract_data_dir()) / (std::string(model) + ".traineddata");
        const auto size = std::filesystem::file_size(file, ec);
        if (!ec) identity += "/" + std::string(model) + ":" + std::to_string(size);
    }
    return identity;
}

void TesseractRecognizer::require_language(std::string_view language) {
    std::stringstream models(tesseract_models_for(language));
    for (std::string model; std::getline(models, model, '+');) {
        const std::filesystem::path file = std::filesystem::path(tesseract_data_dir()) / (model + ".traineddata");
        if (!std::filesystem::exists(file))
            throw EngineError("tesseract has no \"" + model + "\" model for " + std::string(language) + " (" + file.string() +
                              " is missing); install the Debian package " + debian_package_for(model));
    }
}

void TesseractRecognizer::load(const std::string& models) {
    if (api_ && loaded_models_ == models) return;
    api_.reset();
    loaded_models_.clear();
    auto api = std::unique_ptr<tesseract::TessBaseAPI, ApiDeleter>(new tesseract::TessBaseAPI());
    // Silence tesseract's diagnostics ("Empty page!!"); failures are reported by return codes.
    api->SetVariable("debug_file", "/dev/null");
    const std::string data_dir = tesseract_data_dir();
    if (api->Init(data_dir.c_str(), models.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
        api.release();  // Init failed half-way; End() on it is not safe
        throw EngineError("tesseract could not load the models " + models + " from " + data_dir +
                          "; install tesseract-ocr-chi-sim and tesseract-ocr-eng (or set TESSDATA_PREFIX)");
    }
    api->SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    api->SetVariable("user_defined_dpi", "300");
    // No learning from one image to the next: the result of an image must not depend on
    // which images the same engine read before it (workers take segments in any order).
    api->SetVariable("classify_enable_learning", "0");
    api_ = std::move(api);
    loaded_models_ = models;
}

OcrResult TesseractRecognizer::recognize(const GrayImage& image, std::string_view language) {
    OcrResult result;
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() < static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height)) {
        result.failed = true;
        result.error = "empty or malformed image";
        return result;
    }
    require_language(language);
    load(tesseract_models_for(language));
    limit_openmp_to_this_thread();
    char* text = nullptr;
    int confidence = 0;
    tesseract::TessBaseAPI* api = api_.get();
    const bool completed = run_catching_sigfpe([&] {
        api->SetImage(image.pixels.data(), image.width, image.height, 1, image.width);
        text = api->GetUTF8Text();
        confidence = api->MeanTextConf();
        api->Clear();
    });
    if (!completed) {
        // The instance was interrupted mid-call: abandon it (its memory is leaked, which is
        // bounded by how rarely this happens) and load a fresh one next time.
        static_cast<void>(api_.release());
        loaded_models_.clear();
        result.failed = true;
        result.error = "tesseract raised SIGFPE on this image";
        return result;
    }
    if (text) {
        result.text = trimmed(text);
        delete[] text;
    }
    result.confidence = static_cast<float>(confidence) / 100.0f;
    return result;
}

}  // namespace dramaloc::engines
