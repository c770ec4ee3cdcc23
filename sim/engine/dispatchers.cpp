// The built-in dispatchers. A dispatcher knows the jobs it has sent whose
// upload is still on the wire (CloudServer::incoming), so requests that
// arrive together are not all sent to the GPU that looked idle.
// least-loaded (default): the GPU with the fewest waiting + running +
// incoming requests, lowest index on ties (join-the-shortest-queue);
// round-robin: GPUs in turn, whatever their load; llumnix: the dispatching
// rule of Llumnix (Sun et al., "Llumnix: Dynamic Scheduling for Large
// Language Model Serving", OSDI 2024): the GPU with the highest freeness
// F = (M - sum V) / B, where M is its KV capacity, V the virtual usage of its
// requests (the KV held by running requests plus the demand of the
// head-of-line waiting one) and B its batch size (at least 1), lowest index
// on ties. Llumnix dispatches straight into an instance's queue; here a job
// still uploading counts as queued behind it, so its KV demand is added to
// the virtual usage too. Llumnix also migrates running requests between
// instances; that is not modelled, only its dispatching.
#include <algorithm>

#include "sim/engine/cloud_server.hpp"
#include "sim/engine/dispatcher.hpp"
#include "sim/util/registry.hpp"

namespace msao {

namespace {

const bool least_loaded = register_dispatcher({"least-loaded", "GPU with the fewest waiting + running + incoming requests", [] {
  return Dispatcher([](CloudServers g) {
    size_t best = 0;
    for (size_t i = 1; i < g.size(); ++i)
      if (g[i]->load() + g[i]->incoming() < g[best]->load() + g[best]->incoming()) best = i;
    return best;
  });
}});

const bool llumnix = register_dispatcher({"llumnix", "GPU with the most free KV per running request (Llumnix freeness)", [] {
  return Dispatcher([](CloudServers g) {
    auto freeness = [](CloudServer& c) {
      const double virtual_usage = c.kv_used_bytes() + c.head_of_line_kv_bytes() + c.incoming_kv_bytes();
      return (c.cost().kv_capacity_bytes - virtual_usage) / std::max(1, c.running());
    };
    size_t best = 0;
    for (size_t i = 1; i < g.size(); ++i)
      if (freeness(*g[i]) > freeness(*g[best])) best = i;
    return best;
  });
}});

const bool round_robin = register_dispatcher({"round-robin", "GPUs in turn", [] {
  auto next = std::make_shared<size_t>(0);
  return Dispatcher([next](CloudServers g) { return (*next)++ % g.size(); });
}});
}  // namespace

bool register_dispatcher(DispatcherInfo info) { return Registry<DispatcherInfo>::add(std::move(info)); }

const DispatcherInfo* find_dispatcher(const std::string& name) { return Registry<DispatcherInfo>::find(name); }

std::vector<std::string> dispatcher_names() { return Registry<DispatcherInfo>::names(); }

}  // namespace msao
