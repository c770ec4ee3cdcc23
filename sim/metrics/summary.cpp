#include "sim/metrics/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>

#include "sim/metrics/summary_keys.hpp"

namespace msao {

double nearest_rank(const std::vector<double>& sorted, double q) {
  const auto r = static_cast<size_t>(std::ceil(q * sorted.size()));
  return sorted[std::min(sorted.size() - 1, r > 0 ? r - 1 : 0)];
}

namespace {
// Undefined (null in summary.json) when no request completed, not 0,
// which would read as the best latency there is.
Distribution distribution(QuantileStore& v) {
  return {v.mean(), v.quantile(0.50), v.quantile(0.95), v.quantile(0.99)};
}
// Nearest rank in a histogram of counts per value.
double hist_rank(const std::vector<unsigned long long>& hist, unsigned long long n, double q) {
  const auto r = static_cast<unsigned long long>(std::ceil(q * n));
  const unsigned long long rank = std::min(n, std::max(r, 1ULL));
  unsigned long long seen = 0;
  for (size_t b = 0; b < hist.size(); ++b)
    if ((seen += hist[b]) >= rank) return static_cast<double>(b);
  return 0;
}
}  // namespace

SummaryAccumulator::SummaryAccumulator(double slo_s, double edge_runtime_mem_bytes)
    : slo_s_(slo_s), first_arrival_(std::numeric_limits<double>::infinity()), edge_runtime_(edge_runtime_mem_bytes) {}

void SummaryAccumulator::add(const RequestRecord& rec) {
  Summary& s = s_;
  ++s.requests;
  verified_ += rec.verified_tokens;
  accepted_ += rec.accepted_tokens;
  s.verify_rounds += rec.rounds;
  s.handoffs += rec.handoff_step >= 0;
  s.failed += rec.status == RequestStatus::Failed;
  s.retried += rec.retries > 0;
  s.fallback += rec.spec_outcome == SpecOutcome::Fallback;
  s.lost_on_failure += rec.lost_on_failure;
  first_arrival_ = std::min(first_arrival_, rec.arrival);
  s.flops_edge += rec.edge_flops;
  s.mem_edge = cost::peak_of(s.mem_edge, rec.edge_mem);
  if (rec.status == RequestStatus::Rejected) ++s.rejected;
  if (rec.status == RequestStatus::Unfinished) ++s.unfinished;
  if (rec.status != RequestStatus::Completed) return;
  ++s.completed;
  lat_.add(rec.latency() * 1e3);
  ttft_.add(rec.ttft() * 1e3);
  tpot_.add(rec.tpot() * 1e3);
  last_done_ = std::max(last_done_, rec.done);
  tokens_ += rec.output_tokens;
  correct_ += rec.correct;
  by_edge_ += rec.answered_by == AnsweredBy::Edge;
  within_slo_ += rec.latency() <= slo_s_;
}

void SummaryAccumulator::add(int replica, const IterationRecord& it) {
  const auto rep = static_cast<size_t>(replica);
  if (rep >= busy_.size()) busy_.resize(rep + 1, 0), mfu_s_.resize(rep + 1, 0);
  busy_[rep] += it.seconds;
  mfu_s_[rep] += it.mfu * it.seconds;
  const auto b = static_cast<size_t>(std::max(0, it.batch));
  if (b >= batch_hist_.size()) batch_hist_.resize(b + 1, 0);
  ++batch_hist_[b];
  ++batches_;
  batch_sum_ += b;
}

Summary SummaryAccumulator::finish(const RunCounters& r) {
  Summary s = s_;
  s.latency_ms = distribution(lat_);
  s.ttft_ms = distribution(ttft_);
  s.tpot_ms = distribution(tpot_);
  const double span = s.completed ? last_done_ - first_arrival_ : 0;
  if (span > 0) {
    s.throughput_rps = s.completed / span;
    s.throughput_tok_s = tokens_ / span;
    s.goodput_rps = within_slo_ / span;
  }
  // Accuracy counts every request: a rejected or unfinished one has no answer.
  if (s.requests) {
    s.slo_attainment = static_cast<double>(within_slo_) / s.requests;
    s.accuracy = static_cast<double>(correct_) / s.requests;
  }
  if (s.completed) s.edge_answer_fraction = static_cast<double>(by_edge_) / s.completed;
  s.uplink_bytes = r.uplink_bytes;
  s.downlink_bytes = r.downlink_bytes;
  s.cloud_gpu_s = r.cloud_busy_s;
  s.cloud_util = (r.sim_time_s > 0 && r.cloud_gpus > 0) ? r.cloud_busy_s / (r.sim_time_s * r.cloud_gpus) : 0;
  s.flops_cloud = r.cloud_flops;
  s.cloud_preemptions = r.cloud_preemptions;
  s.prefix_hit_rate = r.prefix_lookup_tokens > 0 ? static_cast<double>(r.prefix_hit_tokens) / r.prefix_lookup_tokens
                                                 : std::nan("");
  s.disaggregated = r.cloud_pools > 0;
  s.kv_bytes_between_pools = r.kv_bytes_between_pools;
  s.embedding_bytes_between_pools = r.embedding_bytes_between_pools;
  s.encoder_hit_rate = r.encoder_lookups > 0 ? static_cast<double>(r.encoder_hits) / r.encoder_lookups : std::nan("");
  // A side that ran nothing for this workload holds nothing for it.
  if (s.mem_edge.total() > 0) s.mem_edge.runtime = edge_runtime_;
  if (r.cloud_iterations > 0) s.mem_cloud = r.cloud_peak_memory;
  s.peak_mem_gb_edge = s.mem_edge.total() / 1e9;
  s.peak_mem_gb_cloud = s.mem_cloud.total() / 1e9;
  s.energy_j_edge_compute = r.energy_j_edge;
  s.energy_j_edge_radio = r.energy_j_edge_radio;
  s.energy_j_edge = s.energy_j_edge_compute + s.energy_j_edge_radio;
  s.energy_j_cloud = r.energy_j_cloud;
  s.sim_time_s = r.sim_time_s;
  if (verified_ > 0) s.acceptance_rate = static_cast<double>(accepted_) / verified_;
  s.gpu_failures = r.gpu_failures;
  if (batches_ > 0) {
    s.cloud_batch_p50 = hist_rank(batch_hist_, batches_, 0.5);
    s.cloud_batch_p90 = hist_rank(batch_hist_, batches_, 0.9);
    s.cloud_mean_batch = static_cast<double>(batch_sum_) / batches_;
  }
  double busy = 0, mfu_s = 0;
  for (size_t i = 0; i < busy_.size(); ++i) busy += busy_[i], mfu_s += mfu_s_[i];
  if (busy > 0) s.cloud_mfu = mfu_s / busy;
  return s;
}

std::string summary_json(const Summary& s, bool include_wall_time, bool every_metric) {
  nlohmann::ordered_json j;
  for (const SummaryKey& k : summary_keys())
    if ((include_wall_time || !k.wall_clock) && (every_metric || !k.present || k.present(s))) k.write(j[k.name], s);
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";  // bytes that are not UTF-8 become U+FFFD
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
