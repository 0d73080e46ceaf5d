#pragma once
// Engines kept for the whole run. Recognisers load models that take a good part of a second
// (pocketsphinx's acoustic model, tesseract's chi_sim) and keep state, so each is used by one
// thread at a time: a worker leases one for the work it is doing and hands it back when done,
// and the next stage, the next episode or the next run of the process reuses it instead of
// loading the model again. As many engines of one configuration exist as were ever in use at
// once: one per worker.
//
// Thread-safe. Engines are told apart by a key naming what configures them (the backend and
// its settings); they live until the process ends.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dramaloc::engines {

template <typename Engine>
class EnginePool {
public:
    // Hands the engine back to the pool when it goes out of scope.
    struct Return {
        std::string key;
        void operator()(Engine* engine) const { EnginePool::give_back(key, engine); }
    };
    using Lease = std::unique_ptr<Engine, Return>;

    // An idle engine made for `key`, else a new one from `make` (whose exceptions pass through).
    static Lease lease(const std::string& key, const std::function<std::unique_ptr<Engine>()>& make) {
        {
            std::lock_guard lock(state().mutex);
            auto& idle = state().idle[key];
            if (!idle.empty()) {
                Engine* engine = idle.back().release();
                idle.pop_back();
                return Lease(engine, Return{key});
            }
        }
        std::unique_ptr<Engine> fresh = make();
        std::lock_guard lock(state().mutex);
        ++state().made[key];
        return Lease(fresh.release(), Return{key});
    }

    // Engines made so far for `key`, idle or leased (for tests and figures).
    static int made(const std::string& key) {
        std::lock_guard lock(state().mutex);
        return state().made[key];
    }

private:
    struct State {
        std::mutex mutex;
        std::map<std::string, std::vector<std::unique_ptr<Engine>>> idle;
        std::map<std::string, int> made;
    };
    static State& state() {
        static State s;
        return s;
    }
    static void give_back(const std::string& key, Engine* engine) {
        if (!engine) return;
        std::lock_guard lock(state().mutex);
        state().idle[key].emplace_back(engine);
    }
};

}  // namespace dramaloc::engines
