#include "sim/metrics/summary_keys.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "sim/version.hpp"

namespace msao {

namespace {
using Json = nlohmann::ordered_json;
// A number to 9 significant digits (as printf's %.9g), or null: JSON has no NaN.
Json num(double v) {
  if (!std::isfinite(v)) return nullptr;
  char b[64];
  std::snprintf(b, sizeof b, "%.9g", v);
  return std::strtod(b, nullptr);
}
Json memory(const cost::MemoryUse& m) {
  return {{"peak_gb", num(m.total() / 1e9)}, {"weights_gb", num(m.weights / 1e9)}, {"kv_gb", num(m.kv / 1e9)},
          {"activations_gb", num(m.activations / 1e9)}, {"runtime_gb", num(m.runtime / 1e9)}};
}
// A disaggregated cloud's run (Summary::disaggregated).
bool pools(const Summary& s) { return s.disaggregated; }
Json dist(const Distribution& d) {
  return {{"mean", num(d.mean)}, {"p50", num(d.p50)}, {"p95", num(d.p95)}, {"p99", num(d.p99)}};
}
}  // namespace

std::span<const SummaryKey> summary_keys() {
  static const SummaryKey keys[] = {
      {"msao_version", [](Json& j, const Summary&) { j = version(); }},
      {"git_commit", [](Json& j, const Summary&) { j = git_commit(); }},
      {"requests", [](Json& j, const Summary& s) { j = s.requests; }},
      {"completed", [](Json& j, const Summary& s) { j = s.completed; }},
      {"rejected", [](Json& j, const Summary& s) { j = s.rejected; }},
      {"unfinished", [](Json& j, const Summary& s) { j = s.unfinished; }},
      {"latency_ms", [](Json& j, const Summary& s) { j = dist(s.latency_ms); }},
      {"ttft_ms", [](Json& j, const Summary& s) { j = dist(s.ttft_ms); }},
      {"tpot_ms", [](Json& j, const Summary& s) { j = dist(s.tpot_ms); }},
      {"throughput_rps", [](Json& j, const Summary& s) { j = num(s.throughput_rps); }},
      {"throughput_tok_s", [](Json& j, const Summary& s) { j = num(s.throughput_tok_s); }},
      {"goodput_rps", [](Json& j, const Summary& s) { j = num(s.goodput_rps); }},
      {"slo_attainment", [](Json& j, const Summary& s) { j = num(s.slo_attainment); }},
      {"accuracy", [](Json& j, const Summary& s) { j = num(s.accuracy); }},
      {"edge_answer_fraction", [](Json& j, const Summary& s) { j = num(s.edge_answer_fraction); }},
      {"uplink_bytes", [](Json& j, const Summary& s) { j = num(s.uplink_bytes); }},
      {"downlink_bytes", [](Json& j, const Summary& s) { j = num(s.downlink_bytes); }},
      {"cloud_gpu_s", [](Json& j, const Summary& s) { j = num(s.cloud_gpu_s); }},
      {"cloud_util", [](Json& j, const Summary& s) { j = num(s.cloud_util); }},
      {"cloud_preemptions", [](Json& j, const Summary& s) { j = s.cloud_preemptions; }},
      {"prefix_hit_rate", [](Json& j, const Summary& s) { j = num(s.prefix_hit_rate); }},
      {"encoder_hit_rate", [](Json& j, const Summary& s) { j = num(s.encoder_hit_rate); }},
      {"kv_bytes_between_pools", [](Json& j, const Summary& s) { j = num(s.kv_bytes_between_pools); }, false, pools},
      {"embedding_bytes_between_pools", [](Json& j, const Summary& s) { j = num(s.embedding_bytes_between_pools); },
       false, pools},
      {"flops_edge", [](Json& j, const Summary& s) { j = num(s.flops_edge); }},
      {"flops_cloud", [](Json& j, const Summary& s) { j = num(s.flops_cloud); }},
      {"peak_mem_gb_edge", [](Json& j, const Summary& s) { j = num(s.peak_mem_gb_edge); }},
      {"peak_mem_gb_cloud", [](Json& j, const Summary& s) { j = num(s.peak_mem_gb_cloud); }},
      {"memory_edge", [](Json& j, const Summary& s) { j = memory(s.mem_edge); }},
      {"memory_cloud", [](Json& j, const Summary& s) { j = memory(s.mem_cloud); }},
      {"energy_j_edge", [](Json& j, const Summary& s) { j = num(s.energy_j_edge); }},
      {"energy_j_edge_compute", [](Json& j, const Summary& s) { j = num(s.energy_j_edge_compute); }},
      {"energy_j_edge_radio", [](Json& j, const Summary& s) { j = num(s.energy_j_edge_radio); }},
      {"energy_j_cloud", [](Json& j, const Summary& s) { j = num(s.energy_j_cloud); }},
      {"acceptance_rate", [](Json& j, const Summary& s) { j = num(s.acceptance_rate); }},
      {"handoffs", [](Json& j, const Summary& s) { j = s.handoffs; }},
      {"verify_rounds", [](Json& j, const Summary& s) { j = s.verify_rounds; }},
      {"failed", [](Json& j, const Summary& s) { j = s.failed; }},
      {"retried", [](Json& j, const Summary& s) { j = s.retried; }},
      {"fallback", [](Json& j, const Summary& s) { j = s.fallback; }},
      {"lost_on_failure", [](Json& j, const Summary& s) { j = s.lost_on_failure; }},
      {"gpu_failures", [](Json& j, const Summary& s) { j = s.gpu_failures; }},
      {"cloud_batch_p50", [](Json& j, const Summary& s) { j = num(s.cloud_batch_p50); }},
      {"cloud_batch_p90", [](Json& j, const Summary& s) { j = num(s.cloud_batch_p90); }},
      {"cloud_mean_batch", [](Json& j, const Summary& s) { j = num(s.cloud_mean_batch); }},
      {"cloud_mfu", [](Json& j, const Summary& s) { j = num(s.cloud_mfu); }},
      {"dropped_inputs", [](Json& j, const Summary& s) { j = s.dropped_inputs; }},
      {"wall_time_s", [](Json& j, const Summary& s) { j = num(s.wall_time_s); }, true},
      {"sim_time_s", [](Json& j, const Summary& s) { j = num(s.sim_time_s); }},
  };
  return keys;
}

}  // namespace msao
