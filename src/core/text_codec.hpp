#pragma once
// Small text codecs with no library behind them: UTF-8 code-point counting and base64
// (RFC 4648, standard alphabet with padding) for audio sent inside JSON.
#include <cstddef>
#include <string>
#include <string_view>

namespace dramaloc {

// Code points in UTF-8 text (continuation bytes are not counted); the length a reader sees,
// closer than bytes for CJK, Thai and Arabic.
std::size_t utf8_length(std::string_view text) noexcept;

std::string base64_encode(std::string_view bytes);
// Throws InputError for characters outside the alphabet or a length that is not a multiple
// of four; `what` names the data in the message.
std::string base64_decode(std::string_view text, std::string_view what = "base64 data");

}  // namespace dramaloc
