#include "search/query.hpp"

namespace dramaloc::search {

std::vector<std::string> query_terms(std::string_view query) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < query.size()) {
        if (query[i] == ' ' || query[i] == '\t') {
            ++i;
        } else if (query[i] == '"') {
            const std::size_t end = query.find('"', i + 1);
            out.emplace_back(query.substr(i + 1, (end == std::string_view::npos ? query.size() : end) - i - 1));
            i = end == std::string_view::npos ? query.size() : end + 1;
        } else {
            const std::size_t end = query.find_first_of(" \t\"", i);
            out.emplace_back(query.substr(i, (end == std::string_view::npos ? query.size() : end) - i));
            i = end == std::string_view::npos ? query.size() : end;
        }
    }
    return out;
}

}  // namespace dramaloc::search
