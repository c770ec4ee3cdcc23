// run_simulation: one whole simulation in this process (SimGrid allows one
// engine per process). Edge devices execute requests FIFO on their
// accelerator; transfers go over the SimGrid network; cloud GPUs batch.
// The caller supplies the requests (whole, or a source pulled as simulated
// time advances), the platform and the planner that turns (request,
// observation) into an ExecPlan; records and cloud iterations go to sinks
// as the run produces them, and are kept in SimResult only on request.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/engine/cloud_pools.hpp"
#include "sim/engine/cloud_server.hpp"
#include "sim/engine/exec_plan.hpp"
#include "sim/engine/observation.hpp"
#include "sim/engine/platform_spec.hpp"
#include "sim/metrics/request_record.hpp"
#include "sim/metrics/run_counters.hpp"
#include "sim/request.hpp"
#include "sim/request_source.hpp"

namespace msao {

// SimSetup::max_live_requests by default (scenario key run.max_in_flight).
inline constexpr size_t kMaxLiveRequests = 1024;
// SimSetup::held_in_memory by default: 32,768 records (about 16 MB) and as
// many requests (about 13 MB).
inline constexpr size_t kHeldInMemory = 32768;

struct SimSetup {
  PlatformSpec platform;
  // The requests, sorted by arrival, edge index in [0, num_edges): either
  // `requests`, whole, or (when set) `source`, whose next request is pulled
  // when simulated time reaches the previous one's arrival, so an open-loop
  // run holds only the requests in flight. A closed loop reads its source
  // as its users ask for their edge's next request, holding the requests
  // read ahead of lagging edges (sim/engine/closed_loop.hpp).
  std::vector<Request> requests;
  std::shared_ptr<RequestSource> source;
  // A closed loop on `source`: per edge, whether any request names it (its
  // users start only there; EdgeCensus notes them in a pass of their own).
  // Made from `requests` when they are given whole.
  std::vector<bool> edges_with_requests;
  std::function<ExecPlan(const Request&, const Observation&)> planner;
  std::function<void(const Request&, const RequestRecord&)> on_complete;  // outcome feedback (learning policies)
  CloudCost cloud_cost;
  std::string dispatcher = "least-loaded";  // sim/engine/dispatchers.cpp
  // A disaggregated cloud (empty: monolithic, cloud_cost and dispatcher
  // above serve every replica). Its GPUs, in pool order, are the
  // platform's cloud GPUs, and platform.cloud.interconnect joins them.
  CloudPoolsSpec cloud_pools;
  double horizon_s = 0;        // 0 = run until every request finished
  // Closed loop: users_per_edge > 0 replaces the requests' arrival times by
  // users that think (make_think(edge, user) samples their think times),
  // issue the edge's next request, wait for its answer, and think again.
  int users_per_edge = 0;
  // Per edge: the edge model's KV capacity in tokens, for the conversations
  // it keeps between turns (EdgeSessions); empty: it keeps none.
  std::vector<long long> edge_kv_tokens;
  std::function<std::function<double()>(int edge, int user)> make_think;
  double bw_ewma_alpha = 0.3;  // weight of the newest transfer in the bandwidth estimate
  std::string timeline_path;   // empty = no Chrome trace
  size_t timeline_max_events = 200000;
  // Results as the run produces them: every request's record, in request
  // order, once it and every earlier request have finished (at the end,
  // unfinished ones too); every cloud iteration as it ends, with its
  // replica. keep_records also keeps both in SimResult (records,
  // cloud_iteration_log); without it memory does not grow with the run.
  std::function<void(const RequestRecord&)> on_record;
  std::function<void(int replica, const IterationRecord&)> on_iteration;
  bool keep_records = true;
  // What a run holds beyond the requests in flight: records that finished
  // ahead of an earlier request wait to leave in order (any loop), and a
  // closed loop's requests read ahead of the edges that will take them.
  // Up to this many of each in memory, the rest in temporary files
  // (sim/engine/record_order.hpp, sim/engine/edge_queues.hpp).
  size_t held_in_memory = kHeldInMemory;
  // Checks the engine's books as the run goes (sim/engine/invariants.hpp);
  // a broken rule ends the run with InvariantBroken.
  bool check_invariants = true;
  // Open loop: requests running at once, at most. Each holds an actor and
  // its stack (about 37 KB); an arrival beyond this waits, as a request of
  // the source not yet taken (no actor, no slot), and starts when a running
  // request ends, in arrival order, its latency counting the wait. Bounds
  // a burst's memory and the SimGrid network solver's work per event (it
  // revisits every flow sharing a link); a run that never has this many in
  // flight is unchanged by it (docs/scenario.md, "Limits").
  size_t max_live_requests = kMaxLiveRequests;
};

// The run's counters (sim/metrics/run_counters.hpp) and, with
// SimSetup::keep_records, its records and iterations.
struct SimResult : RunCounters {
  std::vector<RequestRecord> records;  // one per request, in request order (keep_records)
  std::vector<std::vector<IterationRecord>> cloud_iteration_log;  // per replica (keep_records)
  // How far the run's buffers filled, at most at once: requests a closed
  // loop read from its source ahead of the edges that take them (in memory
  // and in the file), and of those, in memory; requests started and not
  // finished; finished records waiting for an earlier one to leave (in
  // memory and in the file), and of those, in memory.
  size_t peak_read_ahead = 0, peak_read_ahead_in_memory = 0, peak_started = 0;
  size_t peak_waiting_records = 0, peak_records_in_memory = 0;
};

// Throws std::runtime_error if SimGrid detects a deadlock, InvariantBroken
// if the engine broke one of its own rules (check_invariants).
SimResult run_simulation(SimSetup setup);

}  // namespace msao
