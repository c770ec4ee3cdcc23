// Small hand-built platforms for engine tests: one edge, one cloud GPU,
// symmetric access link, negligible WAN.
#pragma once
#include "sim/engine/simulation.hpp"

namespace msao::test {

inline PlatformSpec one_edge_platform(double bw_Bps, double one_way_s, double edge_idle_w = 0, double edge_busy_w = 0,
                                      double cloud_idle_w = 0, double cloud_busy_w = 0) {
  PlatformSpec p;
  EdgeGroupSpec g;
  g.name = "edge";
  g.count = 1;
  g.idle_w = edge_idle_w;
  g.busy_w = edge_busy_w;
  g.uplink.bandwidth_Bps = bw_Bps;
  g.uplink.latency_s = one_way_s;
  g.downlink = g.uplink;
  p.edge_groups.push_back(g);
  p.cloud.gpus = 1;
  p.cloud.idle_w = cloud_idle_w;
  p.cloud.busy_w = cloud_busy_w;
  p.cloud.wan_in.bandwidth_Bps = 1e15;
  p.cloud.wan_out = p.cloud.wan_in;
  return p;
}

// Cloud cost: fixed seconds per prefill token and per decode step, batch-independent weights read.
inline CloudCost linear_cloud_cost(double s_per_prefill_token, double s_per_step, double s_per_ctx_token = 0) {
  CloudCost c;
  c.iteration = [=](const std::vector<cost::PrefillChunk>& pre, const std::vector<int>& ctx) {
    double s = 0;
    for (const auto& p : pre) s += p.tokens * s_per_prefill_token;
    if (!ctx.empty()) s += s_per_step;
    for (int x : ctx) s += x * s_per_ctx_token;
    return IterationCost{s, 0.0};
  };
  c.kv_bytes_per_token = 1;
  c.kv_capacity_bytes = 1e12;
  return c;
}

// A request of `prompt` tokens answered in `output` tokens, arriving at `at` on `edge`.
inline Request serving_request(uint64_t id, double at, int prompt, int output, int edge = 0) {
  Request q;
  q.id = id;
  q.arrival_s = at;
  q.prompt_tokens = prompt;
  q.output_tokens = output;
  q.edge = edge;
  return q;
}

inline size_t completed_count(const SimResult& r) {
  size_t n = 0;
  for (const auto& rec : r.records) n += rec.status == RequestStatus::Completed;
  return n;
}

// A planner that offloads every request: `upload` bytes up, a one-token
// cloud job, `reply` bytes down.
inline std::function<ExecPlan(const Request&, const Observation&)> offload_planner(double upload, double reply = 0) {
  return [=](const Request&, const Observation&) {
    ExecPlan p;
    p.phases = scheme::kOffload;
    p.upload_bytes = upload;
    p.cloud.prefill_tokens = 1;
    p.cloud.decode_tokens = 1;
    p.reply_bytes = reply;
    return p;
  };
}

// A planner that offloads every request as a serving job: `upload` bytes
// up, its prompt prefilled and its output tokens decoded on the cloud,
// `reply` bytes down.
inline std::function<ExecPlan(const Request&, const Observation&)> serving_planner(double upload, double reply) {
  return [=](const Request& q, const Observation& o) {
    ExecPlan p = offload_planner(upload, reply)(q, o);
    p.cloud.prefill_tokens = q.prompt_tokens;
    p.cloud.decode_tokens = q.output_tokens;
    return p;
  };
}

}  // namespace msao::test
