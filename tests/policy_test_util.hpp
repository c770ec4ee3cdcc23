// Helpers for policy tests: the paper's pair as a Planner from the real
// catalogs, hand-made requests and observations, and policies by name with
// their registered defaults (optionally overridden).
#pragma once
#include <doctest/doctest.h>

#include "sim/cost/hardware.hpp"
#include "sim/cost/model_spec.hpp"
#include "sim/policy/planner.hpp"
#include "sim/policy/policy.hpp"

namespace msao::test {

inline Planner paper_planner(const std::string& edge_hw = "rtx3090") {
  const cost::ModelSpec small = cost::load_model("qwen2-vl-2b"), big = cost::load_model("qwen2.5-vl-7b");
  const cost::Hardware edge = cost::load_hardware(edge_hw), cloud = cost::load_hardware("a100-40gb");
  return Planner(cost::CostModel(small, edge), cost::CostModel(big, cloud), cost::CostModel(big, edge), Protocol{});
}

// A VQAv2-like request: one 640x480 JPEG, a short question, a 3-token answer.
inline Request image_request(double spatial = 0.4, double modal = 0.9, double confidence = 0.5) {
  Request r;
  r.id = 1;
  r.dataset = "vqav2";
  r.category = "other";
  r.prompt_tokens = 40;
  r.output_tokens = 3;
  auto& img = r.input(Modality::Image);
  img.present = true;
  img.width = 640;
  img.height = 480;
  img.frames = 1;
  img.bytes = 150000;
  img.mas = {spatial * modal, spatial, 1.0, modal};
  r.edge_confidence = confidence;
  return r;
}

inline Observation link(double bw_Bps, double rtt_s = 0.020, int cloud_queue = 0) {
  Observation o;
  o.bandwidth_est_Bps = bw_Bps;
  o.rtt_est_s = rtt_s;
  o.cloud_queue = cloud_queue;
  o.truth.uplink_Bps = bw_Bps;
  o.truth.one_way_latency_s = rtt_s / 2;
  o.truth.cloud_load = cloud_queue;
  return o;
}

inline std::unique_ptr<Policy> make_policy(const std::string& name, const PolicyParams& over = {}) {
  const PolicyInfo* info = find_policy(name);
  REQUIRE(info != nullptr);
  PolicyParams p;
  for (const auto& ps : info->params) p[ps.name] = ps.dflt;
  for (const auto& [k, v] : over) p[k] = v;
  return info->make(p);
}

// Every policy test also holds a policy to PolicyInput::planned's contract:
// an ExecPlan handed back is exactly what the planner makes of the Plan.
inline Plan decide(Policy& p, const Request& r, const Observation& o, const Planner& pl) {
  std::optional<ExecPlan> planned;
  Plan plan = p.decide(PolicyInput{r, o, pl, &planned});
  if (planned) CHECK(*planned == pl.plan(r, plan));
  return plan;
}

}  // namespace msao::test
