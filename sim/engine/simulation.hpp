// run_simulation: one whole simulation in this process (SimGrid allows one
// engine per process). Edge devices execute requests FIFO on their
// accelerator; transfers go over the SimGrid network; cloud GPUs batch.
// The caller supplies the requests, the platform and the planner that turns
// (request, observation) into an ExecPlan.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "sim/engine/cloud_server.hpp"
#include "sim/engine/exec_plan.hpp"
#include "sim/engine/observation.hpp"
#include "sim/engine/platform_spec.hpp"
#include "sim/metrics/request_record.hpp"
#include "sim/request.hpp"

namespace msao {

struct SimSetup {
  PlatformSpec platform;
  std::vector<Request> requests;  // sorted by arrival; edge index in [0, num_edges)
  std::function<ExecPlan(const Request&, const Observation&)> planner;
  std::function<void(const Request&, const RequestRecord&)> on_complete;  // outcome feedback (learning policies)
  CloudCost cloud_cost;
  std::string dispatcher = "least-loaded";  // sim/engine/dispatchers.cpp
  double horizon_s = 0;        // 0 = run until every request finished
  // Closed loop: users_per_edge > 0 replaces the requests' arrival times by
  // users that think (make_think(edge, user) samples their think times),
  // issue the edge's next request, wait for its answer, and think again.
  int users_per_edge = 0;
  std::function<std::function<double()>(int edge, int user)> make_think;
  double bw_ewma_alpha = 0.3;  // weight of the newest transfer in the bandwidth estimate
  std::string timeline_path;   // empty = no Chrome trace
  size_t timeline_max_events = 200000;
};

struct SimResult {
  std::vector<RequestRecord> records;  // one per request, in request order
  double sim_time_s = 0;
  double energy_j_edge = 0, energy_j_cloud = 0;  // SimGrid's host-energy plugin: compute, idle included
  // Edge radios (docs/energy.md): every state integrated over the run, the
  // last tail in full; the idle part of it is nobody's request's.
  double energy_j_edge_radio = 0, energy_j_edge_radio_idle = 0;
  double cloud_busy_s = 0, cloud_flops = 0;
  double peak_kv_bytes_cloud = 0;  // KV reserved, at its peak on any one replica
  cost::MemoryUse cloud_peak_memory;  // the replica iteration that held the most memory (CloudServer::peak_memory)
  int cloud_gpus = 0;      // model replicas the dispatcher sees
  int cloud_replica_gpus = 1;  // GPUs in each
  std::vector<std::vector<IterationRecord>> cloud_iteration_log;  // per replica
  long long cloud_iterations = 0;
  long long cloud_preemptions = 0;  // requests preempted for KV (kv_on_demand)
  long long gpu_failures = 0;       // cloud GPU failures during the run (platform.faults)
  double uplink_bytes = 0, downlink_bytes = 0;  // completed transfers, as received
  double uplink_bytes_sent = 0, downlink_bytes_sent = 0;  // transfers started
  double uplink_bytes_cancelled = 0, downlink_bytes_cancelled = 0;  // killed with a losing speculative branch
};

// Throws std::runtime_error if SimGrid detects a deadlock.
SimResult run_simulation(SimSetup setup);

}  // namespace msao
