#include "sim/metrics/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace msao {

Distribution distribution(std::vector<double> v) {
  std::erase_if(v, [](double x) { return !std::isfinite(x); });
  Distribution d;
  // No value (no request completed): undefined, not 0, which would read as
  // the best latency there is (summary.json writes null).
  if (v.empty()) {
    d.mean = d.p50 = d.p95 = d.p99 = std::numeric_limits<double>::quiet_NaN();
    return d;
  }
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  d.mean = sum / v.size();
  d.p50 = nearest_rank(v, 0.50);
  d.p95 = nearest_rank(v, 0.95);
  d.p99 = nearest_rank(v, 0.99);
  return d;
}

double nearest_rank(const std::vector<double>& sorted, double q) {
  const auto r = static_cast<size_t>(std::ceil(q * sorted.size()));
  return sorted[std::min(sorted.size() - 1, r > 0 ? r - 1 : 0)];
}

Summary summarize(const SimResult& r, double slo_s, double edge_runtime_mem_bytes) {
  Summary s;
  s.requests = r.records.size();
  std::vector<double> lat, ttft, tpot;
  double first_arrival = std::numeric_limits<double>::infinity(), last_done = 0, tokens = 0;
  size_t correct = 0, within_slo = 0, by_edge = 0;
  long long verified = 0, accepted = 0;
  for (const auto& rec : r.records) {
    verified += rec.verified_tokens;
    accepted += rec.accepted_tokens;
    s.verify_rounds += rec.rounds;
    s.handoffs += rec.handoff_step >= 0;
    s.failed += rec.status == RequestStatus::Failed;
    s.retried += rec.retries > 0;
    s.fallback += rec.spec_outcome == "fallback";
    s.lost_on_failure += rec.lost_on_failure;
    first_arrival = std::min(first_arrival, rec.arrival);
    s.flops_edge += rec.edge_flops;
    s.mem_edge = cost::peak_of(s.mem_edge, rec.edge_mem);
    if (rec.status == RequestStatus::Rejected) ++s.rejected;
    if (rec.status == RequestStatus::Unfinished) ++s.unfinished;
    if (rec.status != RequestStatus::Completed) continue;
    ++s.completed;
    lat.push_back(rec.latency() * 1e3);
    ttft.push_back(rec.ttft() * 1e3);
    tpot.push_back(rec.tpot() * 1e3);
    last_done = std::max(last_done, rec.done);
    tokens += rec.output_tokens;
    correct += rec.correct;
    by_edge += rec.answered_by == "edge";
    within_slo += rec.latency() <= slo_s;
  }
  s.latency_ms = distribution(lat);
  s.ttft_ms = distribution(ttft);
  s.tpot_ms = distribution(tpot);
  const double span = s.completed ? last_done - first_arrival : 0;
  if (span > 0) {
    s.throughput_rps = s.completed / span;
    s.throughput_tok_s = tokens / span;
    s.goodput_rps = within_slo / span;
  }
  // Accuracy counts every request: a rejected or unfinished one has no answer.
  if (s.requests) {
    s.slo_attainment = static_cast<double>(within_slo) / s.requests;
    s.accuracy = static_cast<double>(correct) / s.requests;
  }
  if (s.completed) s.edge_answer_fraction = static_cast<double>(by_edge) / s.completed;
  s.uplink_bytes = r.uplink_bytes;
  s.downlink_bytes = r.downlink_bytes;
  s.cloud_gpu_s = r.cloud_busy_s;
  s.cloud_util = (r.sim_time_s > 0 && r.cloud_gpus > 0) ? r.cloud_busy_s / (r.sim_time_s * r.cloud_gpus) : 0;
  s.flops_cloud = r.cloud_flops;
  s.cloud_preemptions = r.cloud_preemptions;
  // A side that ran nothing for this workload holds nothing for it.
  if (s.mem_edge.total() > 0) s.mem_edge.runtime = edge_runtime_mem_bytes;
  if (r.cloud_iterations > 0) s.mem_cloud = r.cloud_peak_memory;
  s.peak_mem_gb_edge = s.mem_edge.total() / 1e9;
  s.peak_mem_gb_cloud = s.mem_cloud.total() / 1e9;
  s.energy_j_edge_compute = r.energy_j_edge;
  s.energy_j_edge_radio = r.energy_j_edge_radio;
  s.energy_j_edge = s.energy_j_edge_compute + s.energy_j_edge_radio;
  s.energy_j_cloud = r.energy_j_cloud;
  s.sim_time_s = r.sim_time_s;
  if (verified > 0) s.acceptance_rate = static_cast<double>(accepted) / verified;
  s.gpu_failures = r.gpu_failures;
  std::vector<double> batch;
  double busy = 0, mfu_s = 0;
  for (const auto& log : r.cloud_iteration_log)
    for (const IterationRecord& it : log) {
      batch.push_back(it.batch);
      busy += it.seconds;
      mfu_s += it.mfu * it.seconds;
    }
  if (!batch.empty()) {
    std::sort(batch.begin(), batch.end());
    s.cloud_batch_p50 = nearest_rank(batch, 0.5);
    s.cloud_batch_p90 = nearest_rank(batch, 0.9);
    double sum = 0;
    for (double b : batch) sum += b;
    s.cloud_mean_batch = sum / batch.size();
  }
  if (busy > 0) s.cloud_mfu = mfu_s / busy;
  return s;
}

namespace {
std::string num(double v) {
  if (!std::isfinite(v)) return "null";  // JSON has no NaN
  char b[64];
  std::snprintf(b, sizeof b, "%.9g", v);
  return b;
}
std::string memory(const cost::MemoryUse& m) {
  return "{\"peak_gb\": " + num(m.total() / 1e9) + ", \"weights_gb\": " + num(m.weights / 1e9) + ", \"kv_gb\": " +
         num(m.kv / 1e9) + ", \"activations_gb\": " + num(m.activations / 1e9) + ", \"runtime_gb\": " +
         num(m.runtime / 1e9) + "}";
}
std::string dist(const Distribution& d) {
  return "{\"mean\": " + num(d.mean) + ", \"p50\": " + num(d.p50) + ", \"p95\": " + num(d.p95) + ", \"p99\": " + num(d.p99) + "}";
}
}  // namespace

std::string summary_json(const Summary& s, bool include_wall_time) {
  std::string j = "{\n";
  auto kv = [&j](const char* k, const std::string& v) { j += std::string("  \"") + k + "\": " + v + ",\n"; };
  kv("requests", std::to_string(s.requests));
  kv("completed", std::to_string(s.completed));
  kv("rejected", std::to_string(s.rejected));
  kv("unfinished", std::to_string(s.unfinished));
  kv("latency_ms", dist(s.latency_ms));
  kv("ttft_ms", dist(s.ttft_ms));
  kv("tpot_ms", dist(s.tpot_ms));
  kv("throughput_rps", num(s.throughput_rps));
  kv("throughput_tok_s", num(s.throughput_tok_s));
  kv("goodput_rps", num(s.goodput_rps));
  kv("slo_attainment", num(s.slo_attainment));
  kv("accuracy", num(s.accuracy));
  kv("edge_answer_fraction", num(s.edge_answer_fraction));
  kv("uplink_bytes", num(s.uplink_bytes));
  kv("downlink_bytes", num(s.downlink_bytes));
  kv("cloud_gpu_s", num(s.cloud_gpu_s));
  kv("cloud_util", num(s.cloud_util));
  kv("cloud_preemptions", std::to_string(s.cloud_preemptions));
  kv("flops_edge", num(s.flops_edge));
  kv("flops_cloud", num(s.flops_cloud));
  kv("peak_mem_gb_edge", num(s.peak_mem_gb_edge));
  kv("peak_mem_gb_cloud", num(s.peak_mem_gb_cloud));
  kv("memory_edge", memory(s.mem_edge));
  kv("memory_cloud", memory(s.mem_cloud));
  kv("energy_j_edge", num(s.energy_j_edge));
  kv("energy_j_edge_compute", num(s.energy_j_edge_compute));
  kv("energy_j_edge_radio", num(s.energy_j_edge_radio));
  kv("energy_j_cloud", num(s.energy_j_cloud));
  kv("acceptance_rate", num(s.acceptance_rate));
  kv("handoffs", std::to_string(s.handoffs));
  kv("verify_rounds", std::to_string(s.verify_rounds));
  kv("failed", std::to_string(s.failed));
  kv("retried", std::to_string(s.retried));
  kv("fallback", std::to_string(s.fallback));
  kv("lost_on_failure", std::to_string(s.lost_on_failure));
  kv("gpu_failures", std::to_string(s.gpu_failures));
  kv("cloud_batch_p50", num(s.cloud_batch_p50));
  kv("cloud_batch_p90", num(s.cloud_batch_p90));
  kv("cloud_mean_batch", num(s.cloud_mean_batch));
  kv("cloud_mfu", num(s.cloud_mfu));
  kv("dropped_inputs", std::to_string(s.dropped_inputs));
  if (include_wall_time) kv("wall_time_s", num(s.wall_time_s));
  j += "  \"sim_time_s\": " + num(s.sim_time_s) + "\n}\n";
  return j;
}

std::string summary_table(const Summary& s) {
  // " (weights W, KV K, activations A, runtime R GB)", empty for a side that held nothing.
  auto parts = [](const cost::MemoryUse& m) {
    if (m.total() <= 0) return std::string();
    char p[160];
    std::snprintf(p, sizeof p, " (weights %.2f, KV %.3f, activations %.3f, runtime %.2f GB)", m.weights / 1e9, m.kv / 1e9,
                  m.activations / 1e9, m.runtime / 1e9);
    return std::string(p);
  };
  char b[2048];
  std::snprintf(b, sizeof b,
                "requests            %zu (completed %zu, rejected %zu, unfinished %zu)\n"
                "latency ms          mean %.1f  p50 %.1f  p95 %.1f  p99 %.1f\n"
                "ttft ms             mean %.1f  p50 %.1f  p95 %.1f\n"
                "throughput          %.3f req/s, %.1f tok/s (goodput %.3f req/s, SLO attainment %.1f%%)\n"
                "accuracy            %.2f%% (answered on the edge: %.1f%%)\n"
                "network             up %.3f MB, down %.3f MB\n"
                "cloud               %.2f GPU-s, utilisation %.1f%%, peak memory %.2f GB%s\n"
                "edge                peak memory %.2f GB%s\n"
                "compute             edge %.3g FLOP, cloud %.3g FLOP\n"
                "energy              edge %.1f J (radio %.1f J), cloud %.1f J\n"
                "simulated           %.3f s in %.3f s wall\n",
                s.requests, s.completed, s.rejected, s.unfinished, s.latency_ms.mean, s.latency_ms.p50, s.latency_ms.p95,
                s.latency_ms.p99, s.ttft_ms.mean, s.ttft_ms.p50, s.ttft_ms.p95, s.throughput_rps, s.throughput_tok_s,
                s.goodput_rps, 100 * s.slo_attainment, 100 * s.accuracy, 100 * s.edge_answer_fraction, s.uplink_bytes / 1e6,
                s.downlink_bytes / 1e6, s.cloud_gpu_s, 100 * s.cloud_util, s.peak_mem_gb_cloud, parts(s.mem_cloud).c_str(),
                s.peak_mem_gb_edge, parts(s.mem_edge).c_str(),
                s.flops_edge, s.flops_cloud, s.energy_j_edge, s.energy_j_edge_radio, s.energy_j_cloud, s.sim_time_s, s.wall_time_s);
  return b;
}

}  // namespace msao
