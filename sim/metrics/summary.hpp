// Summary: the run-level metrics of summary.json, accumulated from the
// request records and cloud iterations as the run hands them over, and the
// engine's device counters. docs/metrics.md defines each.
#pragma once
#include <string>
#include <vector>

#include "sim/metrics/iteration_record.hpp"
#include "sim/metrics/quantile_store.hpp"
#include "sim/metrics/request_record.hpp"
#include "sim/metrics/run_counters.hpp"

namespace msao {

struct Distribution {
  double mean = 0, p50 = 0, p95 = 0, p99 = 0;
};
// The nearest-rank q-quantile (0 <= q <= 1) of sorted, non-empty values.
double nearest_rank(const std::vector<double>& sorted, double q);

struct Summary {
  size_t requests = 0, completed = 0, rejected = 0, unfinished = 0;
  Distribution latency_ms, ttft_ms, tpot_ms;
  double throughput_rps = 0, throughput_tok_s = 0, goodput_rps = 0, slo_attainment = 0;
  double accuracy = 0, edge_answer_fraction = 0;
  double uplink_bytes = 0, downlink_bytes = 0;
  double cloud_gpu_s = 0, cloud_util = 0, flops_edge = 0, flops_cloud = 0;
  long long cloud_preemptions = 0;
  // Of the prompt tokens looked up in the cloud's prefix cache, the share it
  // held; of the media encodings looked up, the share found (NaN: none looked up).
  double prefix_hit_rate = 0, encoder_hit_rate = 0;
  // A disaggregated cloud: bytes moved between its pools (0: monolithic).
  bool disaggregated = false;
  double kv_bytes_between_pools = 0, embedding_bytes_between_pools = 0;
  double peak_mem_gb_edge = 0, peak_mem_gb_cloud = 0;  // mem_edge.total(), mem_cloud.total() in GB
  // Each side's peak GPU memory by part (summary.json memory_edge, memory_cloud).
  cost::MemoryUse mem_edge, mem_cloud;
  // energy_j_edge = compute (SimGrid's host-energy plugin, idle included)
  // + radio (docs/energy.md, idle included).
  double energy_j_edge = 0, energy_j_edge_compute = 0, energy_j_edge_radio = 0, energy_j_cloud = 0;
  double sim_time_s = 0, wall_time_s = 0;
  // Token-level collaboration: accepted / drafted tokens sent for
  // verification (0 when none were), requests handed off, verification passes.
  double acceptance_rate = 0;
  long long handoffs = 0, verify_rounds = 0;
  // Faults: requests that failed (no answer), were retried, fell back to
  // the edge, or had a job lost in a GPU failure; GPU failures in the run.
  size_t failed = 0, retried = 0, fallback = 0, lost_on_failure = 0;
  long long gpu_failures = 0;
  // Cloud iterations: requests per iteration (nearest rank, 0 when none ran)
  // and model FLOPs utilisation, weighted by iteration time.
  long long dropped_inputs = 0;  // inputs removed for want of an encoder (workload.unsupported_inputs: drop)
  double cloud_batch_p50 = 0, cloud_batch_p90 = 0, cloud_mean_batch = 0, cloud_mfu = 0;
};

// Builds a Summary as records (in request order) and iterations arrive,
// holding counts, sums and percentile stores, never the records.
class SummaryAccumulator {
 public:
  // edge_runtime_mem_bytes: the edge serving runtime's own memory (CUDA
  // context...), held by an edge that ran anything; the cloud's is in `r`.
  SummaryAccumulator(double slo_s, double edge_runtime_mem_bytes);
  void add(const RequestRecord& rec);
  void add(int replica, const IterationRecord& it);
  // The summary, with the engine's device counters.
  Summary finish(const RunCounters& r);

 private:
  Summary s_;
  double slo_s_;
  QuantileStore lat_, ttft_, tpot_;
  double first_arrival_, last_done_ = 0, tokens_ = 0, edge_runtime_;
  size_t correct_ = 0, within_slo_ = 0, by_edge_ = 0;
  long long verified_ = 0, accepted_ = 0;
  // Iterations: requests per iteration as a histogram (exact percentiles),
  // and time and MFU-time per replica, summed in replica order at the end.
  std::vector<unsigned long long> batch_hist_;
  unsigned long long batches_ = 0, batch_sum_ = 0;
  std::vector<double> busy_, mfu_s_;
};

// JSON with a fixed key order and number format (byte-identical for equal
// runs), opening with the msao version and git commit that made it.
// every_metric: also the metrics of features the run did not use (as
// metric tables need them; SummaryKey::present).
std::string summary_json(const Summary& s, bool include_wall_time = true, bool every_metric = false);
// A readable table of the headline metrics.
std::string summary_table(const Summary& s);

}  // namespace msao
