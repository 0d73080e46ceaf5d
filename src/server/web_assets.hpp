#pragma once
// The review page's files (src/server/web/), built into the binary by embed_web.cmake.
#include <string_view>
#include <vector>

namespace dramaloc::server {

struct WebAsset {
    std::string_view path;  // "/index.html", "/js/app.js"
    std::string_view type;  // its Content-Type
    std::string_view body;
};

const std::vector<WebAsset>& web_assets();

}  // namespace dramaloc::server
