#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/text_codec.hpp"

using namespace dramaloc;

TEST(TextCodec, CountsCodePoints) {
    EXPECT_EQ(utf8_length(""), 0u);
    EXPECT_EQ(utf8_length("Miss Lin"), 8u);
    EXPECT_EQ(utf8_length("林小姐"), 3u);              // 9 bytes
    EXPECT_EQ(utf8_length("สวัสดี"), 6u);               // Thai with combining vowels: 6 code points
    EXPECT_EQ(utf8_length("مرحبا"), 5u);
}

TEST(TextCodec, Base64MatchesRfc4648Vectors) {
    // RFC 4648 section 10.
    const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                           {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64_encode(plain), encoded);
        EXPECT_EQ(base64_decode(encoded), plain);
    }
}

TEST(TextCodec, Base64RoundTripsEveryByte) {
    std::string bytes;
    for (int i = 0; i < 256 * 3 + 1; ++i) bytes.push_back(static_cast<char>(i * 7 % 256));
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
}

TEST(TextCodec, Base64RejectsWhatIsNotBase64) {
    EXPECT_THROW(base64_decode("Zm9"), InputError);       // length
    EXPECT_THROW(base64_decode("Zm9*"), InputError);      // alphabet
    EXPECT_THROW(base64_decode("Z=9v"), InputError);      // padding in the middle
    EXPECT_THROW(base64_decode("Zg==Zm9v"), InputError);  // padding before the end
    try {
        base64_decode("@@@@", "reference_audio");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("reference_audio"), std::string::npos);
    }
}
