#pragma once
// Owning handles for libass objects (one deleters header per C library, STYLE.md §3).
#include <memory>

#include <ass/ass.h>

namespace dramaloc::subtitles {

struct AssLibraryDeleter {
    void operator()(ASS_Library* p) const noexcept { ass_library_done(p); }
};
struct AssRendererDeleter {
    void operator()(ASS_Renderer* p) const noexcept { ass_renderer_done(p); }
};
struct AssTrackDeleter {
    void operator()(ASS_Track* p) const noexcept { ass_free_track(p); }
};

using AssLibraryPtr = std::unique_ptr<ASS_Library, AssLibraryDeleter>;
using AssRendererPtr = std::unique_ptr<ASS_Renderer, AssRendererDeleter>;
using AssTrackPtr = std::unique_ptr<ASS_Track, AssTrackDeleter>;

}  // namespace dramaloc::subtitles
