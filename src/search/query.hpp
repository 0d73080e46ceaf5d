#pragma once
// How a person's search is read, the same for both stores: words separated by spaces are all
// required; "double-quoted" words are one phrase (an unclosed quote runs to the end).
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc::search {

// The query's terms (each a word or a phrase, as typed), in order.
std::vector<std::string> query_terms(std::string_view query);

}  // namespace dramaloc::search
