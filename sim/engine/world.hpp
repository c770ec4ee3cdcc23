// The engine's shared state during one simulation (internal to sim/engine):
// the platform, per-edge device state, the cloud GPUs and their dispatcher,
// the worker actors that run open-loop requests, and where results go.
#pragma once
#include <simgrid/s4u.hpp>

#include <algorithm>
#include <memory>
#include <vector>

#include "sim/engine/closed_loop.hpp"
#include "sim/engine/cloud_pools.hpp"
#include "sim/engine/dispatcher.hpp"
#include "sim/engine/edge_state.hpp"
#include "sim/engine/invariants.hpp"
#include "sim/engine/request_slots.hpp"
#include "sim/engine/simulation.hpp"
#include "sim/engine/engine_signals.hpp"

namespace msao {

// Open-loop requests run in a pool of reused worker actors: an arrival goes
// to an idle worker, or to a new one. A worker's own host does not matter
// (execs name their edge host, transfers both ends), so the pool is shared
// by all edges and holds as many workers as requests were ever in flight
// at once (at most SimSetup::max_live_requests), not one per edge (10,000
// edges: 320 MB of stacks). Reusing
// actors spares, per request, a context, a stack to clear and an exit that
// SimGrid unwinds through an exception (msao: 50k -> 57k requests/s). A
// long-lived actor that cancels transfers and execs, or whose waits time
// out, was checked on SimGrid 3.32 to keep flat time and memory over 400k
// such requests, so workers that raced are reused too.
struct Worker {
  simgrid::s4u::SemaphorePtr go = simgrid::s4u::Semaphore::create(0);
  RequestSlot* slot = nullptr;  // the request it runs next
  bool stop = false;
};

struct World {
  SimSetup* setup = nullptr;
  BuiltPlatform plat;
  std::vector<EdgeState> edges;
  std::unique_ptr<RequestSlots> slots;
  std::unique_ptr<ClosedLoop> closed;  // a closed loop's users and the requests they have yet to start
  std::vector<std::shared_ptr<Worker>> idle_workers;
  bool arrivals_done = false;  // every open-loop request has been handed out
  // Open-loop requests running now (each on a worker), at most
  // SimSetup::max_live_requests. An arrival beyond that waits in the
  // request source, as data, and the arrival actor on `room` (arrival_held),
  // until a running request ends.
  size_t live = 0;
  bool arrival_held = false, ever_held = false;
  simgrid::s4u::SemaphorePtr room = simgrid::s4u::Semaphore::create(0);
  std::vector<std::unique_ptr<CloudServer>> clouds;
  SimResult* result = nullptr;
  EngineSignals signals;  // what observers (the timeline, radio energy) subscribe to
  InvariantCheck* check = nullptr;  // run.check_invariants (null: unchecked)

  Dispatcher dispatch;

  // A disaggregated cloud's pools (empty: monolithic): each a consecutive
  // run of `clouds`, the stages it serves and its own dispatcher.
  struct Pool {
    size_t first = 0, count = 0;
    unsigned stages = 0;
    Dispatcher dispatch;
    CloudServers servers(const World& w) const { return CloudServers(w.clouds).subspan(first, count); }
  };
  std::vector<Pool> pools;
  // The pool serving stage `s` (disaggregated clouds only).
  const Pool& pool_for(CloudStage s) const {
    for (const Pool& p : pools)
      if (p.stages & stage_bit(s)) return p;
    return pools.front();  // (the scenario gives every stage a pool)
  }
  // Where a request's cloud work starts: its encoders' pool.
  const Pool* entry_pool() const { return pools.empty() ? nullptr : &pool_for(CloudStage::Encode); }

  // The cloud queue a device is told (Observation::cloud_queue): requests
  // waiting for, running on or uploading to a GPU, other than `own`'s job;
  // the GPU holding `own` if it is dispatched, else the least-loaded one
  // (of a disaggregated cloud's entry pool).
  int cloud_queue_seen(const CloudTicket* own) const {
    if (own && own->gpu >= 0) return clouds[own->gpu]->load_without(own);
    const CloudServers seen = pools.empty() ? CloudServers(clouds) : entry_pool()->servers(*this);
    int m = seen.front()->load_without(own);
    for (const auto& c : seen) m = std::min(m, c->load_without(own));
    return m;
  }

  // Ground truth for the oracle: the smallest load any GPU has now.
  int min_cloud_load() const {
    int m = clouds.front()->load();
    for (const auto& c : clouds) m = std::min(m, c->load());
    return m;
  }
};

inline double now() { return simgrid::s4u::Engine::get_clock(); }

}  // namespace msao
