#include "engines/tesseract/tesseract_recognizer.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <filesystem>
#include <sstream>

#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include "core/error.hpp"
#include "core/language.hpp"

namespace dramaloc::engines {
namespace {

// Debian's libtesseract is built with OpenMP, and its LSTM asks for teams of threads with an
// explicit num_threads clause, which omp_set_num_threads does not override. dramaloc runs one
// engine per worker thread, so those teams would only oversubscribe the cores: making nested and top-level parallel regions
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
    // Chinese alone: with the English model beside it, short lines over a busy background were
    // read as Latin letters ("对不起。" as "WARE."); chi_sim reads the Latin letters and digits
    // Chinese subtitles hold by itself.
    const std::string tag(language);
    if (tag == "zh-Hant" || tag == "zh-TW" || tag == "zh-HK") return "chi_tra";
    const auto info = find_language(tag);
    if (!info) throw InputError("unknown language \"" + tag + "\" for OCR; use a BCP-47 tag such as zh or en");
    if (info->bcp47 == "en") return "eng";
    if (info->bcp47 == "zh") return "chi_sim";
    return info->iso639_2 + "+eng";
}

const char* unreadable_image_reason(const GrayImage& image) {
    if (image.width <= 0 || image.height <= 0 ||
        image.pixels.size() < static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height))
        return "empty or malformed image";
    return nullptr;
}

void TesseractRecognizer::ApiDeleter::operator()(tesseract::TessBaseAPI* api) const {
    api->End();
    delete api;
}

TesseractRecognizer::TesseractRecognizer() = default;
TesseractRecognizer::~TesseractRecognizer() = default;

std::string TesseractRecognizer::version() const {
    // The models are part of the identity: another data folder or an upgraded model package
    // must not reuse results read with the old ones; so is which models a language uses.
    std::string identity = std::string("tesseract-") + tesseract::TessBaseAPI::Version() + "/psm6/lstm/zh=chi_sim/ink-box/choices";
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
    // The LSTM's other candidates for each character: what a misread character could also be
    // (hardsubs/ocr_text.cpp picks a Han candidate over a stray Latin letter by them).
    api->SetVariable("lstm_choice_mode", "2");
    api_ = std::move(api);
    loaded_models_ = models;
}

namespace {

// What tesseract is given: the ink's bounding box (pixels darker than mid-grey) with 16 px of
// white all round, or nothing when the image cannot hold a line of text. Slivers a few pixels
// tall are what tesseract was seen to fail on: a 54x3 sliver of a stroke aborts it (an
// assertion in PAGE_RES_IT::DeleteCurrentWord, with chi_sim+eng and a single-line layout) and
// thin strips send its beam search into minutes of work. A line of text is taller than that.
constexpr int kMinInkHeight = 8;
constexpr int kMinInkWidth = 3;
constexpr int kBorder = 16;

std::string owned_text(char* text) {
    std::string out = text ? text : "";
    delete[] text;
    return out;
}

// Every character of the last recognition, with its confidence and the LSTM's other choices.
std::vector<OcrSymbol> read_symbols(tesseract::TessBaseAPI& api) {
    std::vector<OcrSymbol> symbols;
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (!it) return symbols;
    constexpr auto kSymbol = tesseract::RIL_SYMBOL;
    do {
        if (it->Empty(kSymbol)) continue;
        OcrSymbol symbol;
        symbol.text = owned_text(it->GetUTF8Text(kSymbol));
        if (symbol.text.empty()) continue;
        symbol.confidence = std::clamp(it->Confidence(kSymbol) / 100.0f, 0.0f, 1.0f);
        symbol.starts_word = it->IsAtBeginningOf(tesseract::RIL_WORD);
        symbol.starts_line = it->IsAtBeginningOf(tesseract::RIL_TEXTLINE);
        tesseract::ChoiceIterator choice(*it);
        do {
            const char* alternative = choice.GetUTF8Text();
            if (!alternative || symbol.text == alternative) continue;
            symbol.alternatives.emplace_back(alternative, std::clamp(choice.Confidence() / 100.0f, 0.0f, 1.0f));
        } while (choice.Next());
        std::stable_sort(symbol.alternatives.begin(), symbol.alternatives.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        symbols.push_back(std::move(symbol));
    } while (it->Next(kSymbol));
    return symbols;
}

}  // namespace

std::optional<GrayImage> tesseract_input(const GrayImage& image) {
    int x0 = image.width, y0 = image.height, x1 = -1, y1 = -1;
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x)
            if (image.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x)] < 128)
                x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    if (x1 < 0 || y1 - y0 + 1 < kMinInkHeight || x1 - x0 + 1 < kMinInkWidth) return std::nullopt;
    // Keep the grey edges around the ink: widen the box by a pixel where there is room.
    x0 = std::max(0, x0 - 1), y0 = std::max(0, y0 - 1), x1 = std::min(image.width - 1, x1 + 1), y1 = std::min(image.height - 1, y1 + 1);
    GrayImage out;
    out.width = x1 - x0 + 1 + 2 * kBorder;
    out.height = y1 - y0 + 1 + 2 * kBorder;
    out.pixels.assign(static_cast<std::size_t>(out.width) * static_cast<std::size_t>(out.height), 255);
    for (int y = y0; y <= y1; ++y)
        std::copy_n(image.pixels.begin() + static_cast<std::ptrdiff_t>(y) * image.width + x0, x1 - x0 + 1,
                    out.pixels.begin() + static_cast<std::ptrdiff_t>(y - y0 + kBorder) * out.width + kBorder);
    return out;
}

void TesseractRecognizer::prepare(std::string_view language) {
    require_language(language);
    load(tesseract_models_for(language));
}

OcrResult TesseractRecognizer::recognize(const GrayImage& image, std::string_view language) {
    OcrResult result;
    if (const char* why = unreadable_image_reason(image)) {
        result.failed = true;
        result.error = why;
        return result;
    }
    require_language(language);
    const auto text_image = tesseract_input(image);
    if (!text_image) return result;  // no line of text: nothing read, nothing failed
    load(tesseract_models_for(language));
    limit_openmp_to_this_thread();
    tesseract::TessBaseAPI* api = api_.get();
    api->SetImage(text_image->pixels.data(), text_image->width, text_image->height, 1, text_image->width);
    char* text = api->GetUTF8Text();
    const int confidence = api->MeanTextConf();
    if (text) {
        result.text = trimmed(text);
        delete[] text;
    }
    result.confidence = static_cast<float>(confidence) / 100.0f;
    result.symbols = read_symbols(*api);
    api->Clear();
    return result;
}

}  // namespace dramaloc::engines
