// dads: the minimum edge/cloud cut of the cloud model's multi-branch stage
// DAG (one encoder -> projector branch per modality, joining at prefill) for
// the current uplink estimate (Hu et al., "Dynamic Adaptive DNN Surgery for
// Inference Acceleration on the Edge", INFOCOM 2019). The cut is a max-flow
// min-cut whose value is the predicted latency (cost::min_cut); all-edge and
// all-cloud are cuts too, so it never predicts worse than either.
#include "sim/policy/planner.hpp"
#include "sim/policy/policy.hpp"

namespace msao {
namespace {

class Dads final : public Policy {
 public:
  Plan decide(const PolicyInput& in) override {
    Plan p;  // every input kept whole
    const cost::StageDag dag = in.planner.stage_dag(in.request, p.keep);
    const cost::CutDecision d = cost::min_cut(dag, in.obs.bandwidth_est_Bps, in.obs.rtt_est_s);
    p.placement = Placement::Split;
    p.edge_stages = d.edge_stages;
    p.label = "cut:" + std::to_string(d.edge_stages.size()) + "-edge";
    if (in.planned) *in.planned = in.planner.plan(in.request, p, dag);  // not built twice
    return p;
  }
};

const bool registered = register_policy(
    {"dads", "Minimum edge/cloud cut of the cloud model's stage DAG for the measured uplink (Hu et al. 2019)", {},
     [](const PolicyParams&) { return std::make_unique<Dads>(); }});

}  // namespace
}  // namespace msao
