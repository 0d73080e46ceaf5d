#include "engines/espeak/espeak_synthesizer.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "core/error.hpp"
#include "support/signals.hpp"

namespace dramaloc::engines {
namespace {

VoiceSpec voice_named(std::string language, std::string name, int rate_wpm = 0, int pitch = 0) {
    VoiceSpec v;
    v.language = std::move(language);
    v.voice = std::move(name);
    v.rate_wpm = rate_wpm;
    v.pitch = pitch;
    return v;
}

const VoiceSpec kMale = voice_named("en", "en+m3", 0, 25);
const VoiceSpec kFemale = voice_named("en", "en+f2", 0, 70);

TEST(EspeakSynthesizer, SpeaksAudibleMonoAtNativeRateAndLongerTextTakesLonger) {
    EspeakSynthesizer tts;
    const media::AudioBuffer short_line = tts.synthesize("Why now?", kMale);
    const media::AudioBuffer long_line = tts.synthesize("I waited three years. One more night is nothing.", kMale);
    EXPECT_EQ(short_line.channels, 1);
    EXPECT_EQ(short_line.sample_rate, 22050);
    EXPECT_EQ(EspeakSynthesizer::native_sample_rate(), 22050);
    EXPECT_GT(media::rms(short_line), 0.02);
    EXPECT_GT(media::rms(long_line), 0.02);
    EXPECT_GT(short_line.duration_ms(), 300);
    EXPECT_GT(long_line.duration_ms(), 2 * short_line.duration_ms());
}

TEST(EspeakSynthesizer, FemaleVariantIsClearlyHigherThanMaleVariant) {
    EspeakSynthesizer tts;
    const std::string text = "Please go home. I made a promise to another man.";
    const double male = test::median_f0(tts.synthesize(text, kMale), 60, 400);
    const double female = test::median_f0(tts.synthesize(text, kFemale), 60, 400);
    ASSERT_GT(male, 50.0);
    EXPECT_GT(female, 1.4 * male) << "male " << male << " Hz, female " << female << " Hz";
}

TEST(EspeakSynthesizer, SameTextAndVoiceGiveTheSameSamplesWhateverWasSpokenBefore) {
    EspeakSynthesizer tts;
    const media::AudioBuffer first = tts.synthesize("Tell them to wait.", kFemale);
    tts.synthesize("Something else entirely, in another voice.", kMale);
    const media::AudioBuffer again = tts.synthesize("Tell them to wait.", kFemale);
    EXPECT_EQ(first.samples, again.samples);
}

TEST(EspeakSynthesizer, HyphenatedTokenIsOneWord) {
    EspeakSynthesizer tts;
    const TimedSpeech speech = tts.synthesize_with_words("A well-known face.", kMale);
    std::vector<std::string> texts;
    for (const Word& w : speech.words) texts.push_back(w.text);
    EXPECT_EQ(texts, (std::vector<std::string>{"A", "well-known", "face."}));
}

TEST(EspeakSynthesizer, ReportsWordTimesInOrderInsideTheAudio) {
    EspeakSynthesizer tts;
    const TimedSpeech speech = tts.synthesize_with_words("Why did you come back, Chén?", kMale);
    ASSERT_EQ(speech.words.size(), 6u);
    EXPECT_EQ(speech.words[0].text, "Why");
    EXPECT_EQ(speech.words[4].text, "back,");  // words keep their punctuation, as recognizers give them
    EXPECT_EQ(speech.words[5].text, "Chén?");  // character positions mapped to UTF-8 bytes
    TimeMs previous_end = 0;
    for (const Word& w : speech.words) {
        EXPECT_GE(w.start, previous_end - 1) << w.text;
        EXPECT_GT(w.end, w.start) << w.text;
        EXPECT_LE(w.end, speech.audio.duration_ms()) << w.text;
        previous_end = w.end;
    }
}

TEST(EspeakSynthesizer, UnknownVoiceNamesThePackageAndAlternatives) {
    EspeakSynthesizer tts;
    try {
        tts.synthesize("hello", voice_named("", "xx-nowhere"));
        FAIL() << "expected EngineError";
    } catch (const EngineError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("espeak-ng has no voice \"xx-nowhere\""), std::string::npos) << what;
        EXPECT_NE(what.find("apt install espeak-ng-data"), std::string::npos) << what;
        EXPECT_NE(what.find("en-us"), std::string::npos) << what;
    }
    try {
        tts.synthesize("hello", voice_named("", "en+nosuchvariant"));
        FAIL() << "expected EngineError";
    } catch (const EngineError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("nosuchvariant"), std::string::npos) << what;
        EXPECT_NE(what.find("m3"), std::string::npos) << what;
    }
    EXPECT_THROW(tts.synthesize("hello", voice_named("en", "", 10)), InputError);
}

TEST(EspeakSynthesizer, ListsLanguageVoicesAndVariants) {
    EspeakSynthesizer tts;
    const std::vector<std::string> english = tts.voices("en");
    auto has = [&](const std::string& v) { return std::find(english.begin(), english.end(), v) != english.end(); };
    EXPECT_TRUE(has("en-us"));
    EXPECT_TRUE(has("en+m3"));
    EXPECT_TRUE(has("en+f2"));
    EXPECT_FALSE(has("de"));
    EXPECT_TRUE(tts.voices("zz").empty());
    EXPECT_NE(tts.version().find("espeak-ng"), std::string::npos);
}

TEST(EspeakSynthesizer, ConcurrentCallsMatchSerialResults) {
    EspeakSynthesizer tts;
    const std::vector<std::string> texts = {"I came back for you.", "That is not a good reason.",
                                            "Tell her I will call back later.", "Let it rain."};
    std::vector<media::AudioBuffer> serial;
    for (std::size_t i = 0; i < texts.size(); ++i) serial.push_back(tts.synthesize(texts[i], i % 2 ? kMale : kFemale));

    std::vector<media::AudioBuffer> parallel(texts.size());
    auto worker = [&](std::size_t parity) {
        for (int round = 0; round < 2; ++round) {
            for (std::size_t i = parity; i < texts.size(); i += 2) {
                parallel[i] = tts.synthesize(texts[i], i % 2 ? kMale : kFemale);
            }
        }
    };
    std::thread a(worker, 0), b(worker, 1);
    a.join();
    b.join();
    for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(parallel[i].samples, serial[i].samples) << texts[i];
}

}  // namespace
}  // namespace dramaloc::engines
