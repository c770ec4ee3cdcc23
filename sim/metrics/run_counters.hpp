// A run's device-level counters, as the engine reports them at its end:
// time, energy, cloud work and memory, network bytes. Metrics read them
// (summary.json) without needing the engine: SimResult
// (sim/engine/simulation.hpp) is these counters plus the records it kept.
#pragma once
#include "sim/cost/memory_use.hpp"

namespace msao {

struct RunCounters {
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
  long long cloud_iterations = 0;
  long long cloud_preemptions = 0;  // requests preempted for KV (kv_on_demand)
  long long gpu_failures = 0;       // cloud GPU failures during the run (platform.faults)
  // The cloud's caches: prompt tokens of the jobs that looked up the prefix
  // cache and how many of them it held; media encodings looked up and found.
  long long prefix_lookup_tokens = 0, prefix_hit_tokens = 0;
  long long encoder_lookups = 0, encoder_hits = 0;
  // A disaggregated cloud: bytes moved between its pools (prompt KV from
  // prefill to decode, encoder output from encode to prefill).
  double kv_bytes_between_pools = 0, embedding_bytes_between_pools = 0;
  int cloud_pools = 0;  // pools of a disaggregated cloud (0: monolithic)
  double uplink_bytes = 0, downlink_bytes = 0;  // completed transfers, as received
  double uplink_bytes_sent = 0, downlink_bytes_sent = 0;  // transfers started
  double uplink_bytes_cancelled = 0, downlink_bytes_cancelled = 0;  // killed with a losing speculative branch
};

}  // namespace msao
