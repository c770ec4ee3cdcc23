// Planner: turns a policy's declarative Plan into the ExecPlan the engine
// runs, with every second and byte from the cost model: the edge model on
// the edge device, the cloud model on the cloud GPU, and the cloud model's
// stages on the edge device for split placements. It also offers policies
// the predictions they compare plans by, so no policy computes a cost.
#pragma once
#include <array>

#include "sim/cost/cost_model.hpp"
#include "sim/cost/stage_dag.hpp"
#include "sim/engine/exec_plan.hpp"
#include "sim/engine/observation.hpp"
#include "sim/policy/plan.hpp"

namespace msao {

// Wire format of messages: text travels as token ids, each message has a
// fixed header (HTTP/2 + TLS framing). Scenario keys platform.protocol.*.
struct Protocol {
  double bytes_per_token = 4;
  double header_bytes = 300;
};

using KeepArray = std::array<double, kNumModalities>;

class Planner {
 public:
  Planner(cost::CostModel edge, cost::CostModel cloud, cost::CostModel cloud_on_edge, Protocol proto);

  ExecPlan plan(const Request& r, const Plan& p) const;
  // A Split plan on the stage DAG the policy already built for it
  // (stage_dag(r, p.keep)), which plan(r, p) would build again.
  ExecPlan plan(const Request& r, const Plan& p, const cost::StageDag& dag) const;

  // Predicted end-to-end latency, and whose answer is returned, if the
  // plan's seconds and bytes ran as `phases` (its own, or another scheme's
  // on the same priced work), the uplink delivers `bw_Bps`, the round trip
  // is `rtt_s` and `cloud_queue` requests are ahead at the cloud (each adds
  // its batch-1 service time divided by the batch the GPU can run). Each
  // phase's share is the phase table's (sim/engine/phase.hpp); a
  // confident edge answer is assumed accepted.
  Prediction predict(const ExecPlan& e, const Phases& phases, double bw_Bps, double rtt_s, int cloud_queue) const;
  // Same, from what a device observes.
  Prediction predict(const ExecPlan& e, const Phases& phases, const Observation& o) const;
  // The predicted latency of the plan as it stands.
  double predict_latency(const ExecPlan& e, const Observation& o) const;

  cost::StageDag stage_dag(const Request& r, const KeepArray& keep) const;
  std::pair<double, double> mas_cost(const Request& r) const;  // MAS analysis on the edge: seconds and FLOPs
  double upload_bytes(const Request& r, const KeepArray& keep) const;  // raw (kept) inputs + prompt
  double reply_bytes(int tokens) const { return proto_.header_bytes + tokens * proto_.bytes_per_token; }

  // Seconds the cloud job takes alone on an idle GPU (batch of one).
  double cloud_batch1_s(const CloudJob& j) const;

  const cost::CostModel& edge() const { return edge_; }
  int max_batch = 256;  // the cloud's batch limit, for queue predictions
  // Plan the edge model's own answer as the fallback of every cloud plan
  // (scenarios with platform.faults); off, plans cost nothing extra.
  bool plan_fallback = false;

 private:
  struct ModelRun {
    double pre_s = 0, pre_flops = 0;  // encoders + projectors
    int tokens = 0;                   // decoder prefill tokens (prompt + modality tokens)
    int visual = 0;                   // of which modality tokens
    int held = 0;                     // of which the edge model's KV already held (a session's earlier turns)
    double prefill_s = 0, prefill_flops = 0;
    double decode_s = 0, decode_flops = 0;
    double pre_activation_bytes = 0;  // the largest encoder's transient memory
    cost::MemoryUse mem;              // its peak on the device (no runtime)
  };
  // What every plan starts from: its label, the correctness of each answer
  // under the content kept, the edge's confidence, the MAS pre-work.
  ExecPlan plan_head(const Request& r, const Plan& p) const;
  ExecPlan plan_unsplit(const Request& r, const Plan& p) const;  // Edge and Cloud placements
  ExecPlan plan_split(const Request& r, const Plan& p, const cost::StageDag& dag) const;
  // The edge model's own answer as the plan's fallback (plan_fallback).
  ExecPlan with_fallback(const Request& r, const Plan& p, ExecPlan e) const;
  // The model `m`'s encoders and projectors on content kept at `keep`, and
  // the decoder tokens they lead to (prefill and decode left at zero).
  ModelRun inputs_run(const cost::CostModel& m, const Request& r, const KeepArray& keep) const;
  // The model `m` answering with content kept at `keep` and, inside the
  // decoder, visual tokens pruned to `token_keep` after `prune_layer`.
  ModelRun model_run(const cost::CostModel& m, const Request& r, const KeepArray& keep, double token_keep,
                     int prune_layer) const;

  cost::CostModel edge_, cloud_, cloud_on_edge_;
  Protocol proto_;
};

}  // namespace msao
