// neurosurgeon: the best single split point of the cloud model's stage chain
// for the current uplink estimate (Kang et al., "Neurosurgeon: Collaborative
// Intelligence Between the Cloud and Mobile Edge", ASPLOS 2017). The stages
// before the split run on the edge device, the rest in the cloud; the split
// minimises predicted edge time + transfer of the cut tensor + cloud time
// (cost::best_split). Split 0 is cloud-only, the last split all-edge, so the
// rule never predicts worse than either extreme of the chain.
#include "sim/policy/planner.hpp"
#include "sim/policy/policy.hpp"

namespace msao {
namespace {

class Neurosurgeon final : public Policy {
 public:
  Plan decide(const PolicyInput& in) override {
    Plan p;  // every input kept whole
    const cost::StageDag dag = in.planner.stage_dag(in.request, p.keep);
    const cost::SplitDecision d = cost::best_split(dag, in.obs.bandwidth_est_Bps, in.obs.rtt_est_s);
    p.placement = Placement::Split;
    p.edge_stages = d.edge_stages;
    p.label = "split@" + std::to_string(d.split);
    if (in.planned) *in.planned = in.planner.plan(in.request, p, dag);  // not built twice
    return p;
  }
};

const bool registered = register_policy(
    {"neurosurgeon", "Best single split of the cloud model's stage chain for the measured uplink (Kang et al. 2017)", {},
     [](const PolicyParams&) { return std::make_unique<Neurosurgeon>(); }});

}  // namespace
}  // namespace msao
