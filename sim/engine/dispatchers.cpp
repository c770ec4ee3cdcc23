// The built-in dispatchers. least-loaded (default): the GPU with the fewest
// waiting + running requests, lowest index on ties (join-the-shortest-queue);
// round-robin: GPUs in turn, whatever their load.
#include <algorithm>

#include "sim/engine/cloud_server.hpp"
#include "sim/engine/dispatcher.hpp"

namespace msao {

namespace {
std::vector<DispatcherInfo>& registry() {
  static std::vector<DispatcherInfo> r;
  return r;
}

const bool least_loaded = register_dispatcher({"least-loaded", "GPU with the fewest waiting + running requests", [] {
  return Dispatcher([](const std::vector<std::unique_ptr<CloudServer>>& g) {
    size_t best = 0;
    for (size_t i = 1; i < g.size(); ++i)
      if (g[i]->load() < g[best]->load()) best = i;
    return best;
  });
}});

const bool round_robin = register_dispatcher({"round-robin", "GPUs in turn", [] {
  auto next = std::make_shared<size_t>(0);
  return Dispatcher([next](const std::vector<std::unique_ptr<CloudServer>>& g) { return (*next)++ % g.size(); });
}});
}  // namespace

bool register_dispatcher(DispatcherInfo info) {
  registry().push_back(std::move(info));
  return true;
}

const DispatcherInfo* find_dispatcher(const std::string& name) {
  for (const auto& d : registry())
    if (d.name == name) return &d;
  return nullptr;
}

std::vector<std::string> dispatcher_names() {
  std::vector<std::string> n;
  for (const auto& d : registry()) n.push_back(d.name);
  std::sort(n.begin(), n.end());
  return n;
}

}  // namespace msao
