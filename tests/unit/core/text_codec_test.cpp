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

TEST(TextCodec, DecodesAndEncodesUtf8) {
    EXPECT_EQ(code_points("a林\xF0\x9F\x98\x80"), (std::vector<char32_t>{U'a', U'林', U'\U0001F600'}));
    // Invalid bytes (a lone continuation, an overlong form, a surrogate) each become U+FFFD.
    EXPECT_EQ(code_points("\x80x\xC0\xAF\xED\xA0\x80"),
              (std::vector<char32_t>{U'\uFFFD', U'x', U'\uFFFD', U'\uFFFD', U'\uFFFD', U'\uFFFD', U'\uFFFD'}));
    std::string out;
    for (const char32_t c : {U'a', U'é', U'林', U'\U0001F600'}) append_utf8(out, c);
    EXPECT_EQ(out, "aé林\xF0\x9F\x98\x80");
    out.clear();
    append_utf8(out, 0xD800);
    append_utf8(out, 0x110000);
    EXPECT_EQ(out, "\uFFFD\uFFFD");
    EXPECT_EQ(utf8_sequence_length("林", 0), 3u);
    EXPECT_EQ(utf8_sequence_length("\xE6\x9E", 0), 0u);  // cut short
}

TEST(TextCodec, DecodesCharacterReferences) {
    EXPECT_EQ(decode_entities("Tom &amp; Jerry &lt;3 &#233;&#xE9; &nbsp;&rlm;"), "Tom & Jerry <3 éé \u00A0\u200F");
    // Unknown names, a lone '&', out-of-range and malformed numbers stay as written.
    EXPECT_EQ(decode_entities("AT&T &copy; &#xD800; &#12a; & end"), "AT&T &copy; &#xD800; &#12a; & end");
}
