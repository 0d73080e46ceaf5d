#pragma once
// The library's one tokenizer (issue 15): the words of a line as the search index keeps them
// and as a query is read, so that both compare the same way in every language and on both
// job stores (SQLite FTS5, PostgreSQL full-text search).
//
// - Folding: NFKC with Unicode case folding; Latin, Greek and Cyrillic letters lose their
//   diacritics ("canción" = "cancion"); Arabic loses its tashkeel and tatweel and folds the
//   alef (أ إ آ ٱ → ا), yeh (ى → ي) and teh marbuta (ة → ه) variants. Thai, Devanagari and
//   other scripts whose marks are letters keep them.
// - Words: ICU's word boundaries, with its dictionaries for scripts written without spaces
//   (Thai, Lao, Khmer, Burmese): "ฉันไปโรงเรียน" is three words.
// - Han and kana: one token per character, at consecutive positions, in the index and in
//   queries alike. A query of one character finds every line with it; a longer one is a
//   phrase of its characters, so it finds exactly the lines that contain it, whichever way a
//   dictionary would have cut the words around it.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dramaloc::search {

struct Token {
    std::string text;       // folded
    std::size_t start = 0;  // bytes of the original UTF-8 text: what to highlight
    std::size_t end = 0;
    int position = 0;       // 0, 1, 2…: phrases are consecutive positions
};

// The folded form of `text` (see above). Invalid UTF-8 is replaced, never thrown.
std::string fold(std::string_view text);

// The tokens of `text`, in order. Punctuation, spaces and symbols are not tokens.
std::vector<Token> tokenize(std::string_view text);

// Whether `words` (folded tokens) are tokens[i…] at consecutive positions: a word, or a
// phrase, found where a search or a policy term is looked for.
bool words_at(const std::vector<Token>& tokens, std::size_t i, const std::vector<std::string>& words);

}  // namespace dramaloc::search
