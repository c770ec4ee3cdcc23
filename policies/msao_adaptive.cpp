// msao-adaptive: msao (policies/msao.cpp: Yang et al., arXiv 2604.02945 —
// MAS pruning on the edge, placement from MAS and the observed link and
// queues, token-level draft/verify with hand-off) whose placement is
// learned online instead of fixed by thresholds tuned offline. The paper
// tunes msao offline on a static network; under drift what changes is
// where a request is best answered, so this policy learns that from what
// the device observes (docs/results/online-adaptation.md).
// Rule: a contextual bandit over msao's four placements of the pruned
// request (arms: 0 the edge alone; 1 the race, whose edge answer is kept
// when its confidence is >= `confidence` and the cloud's otherwise; 2
// token-level collaboration with hand-off at `confidence`; 3 the pruned
// offload), by discounted UCB (Garivier & Moulines, ALT 2011) in each
// context bucket (log2 measured uplink bandwidth x log2 RTT estimate x
// log2(1 + cloud queue told at decision time)); sim/policy/context_bandit.hpp has the
// formula. A new bucket tries first the arm msao's own rule picks, then
// the others once each. The reward is minus the request's cost over the
// planner's predicted latency of its pruned cloud path; the cost is its
// measured latency plus, when the cloud neither produced nor verified the
// answer, `answer_penalty` seconds x (1 - the edge model's confidence):
// the price of a likely wrong answer in seconds, which is what offline
// tuning under an accuracy constraint fixes (a Lagrange multiplier). Only
// device-observable fields count: status, failure, done - arrival,
// answered_by, edge_only_tokens, and the edge confidence the device
// computed; never the ground-truth `correct`.
// Exploring is also what refreshes a stale link estimate: an edge-alone
// answer transfers nothing, so a fixed rule that chose the edge on a
// collapsed link keeps its old bandwidth estimate after the link recovers.
// Deterministic: no random numbers. Pruning, gamma and the fault hold
// (after a failed cloud interaction: the edge alone) are msao's, with
// msao's parameters.
#include <map>

#include "sim/policy/context_bandit.hpp"
#include "policies/msao_core.hpp"

namespace msao {
namespace {

enum Arm : int { kEdge = 0, kRace, kTokens, kOffload, kArms };

class MsaoAdaptive final : public Policy {
 public:
  explicit MsaoAdaptive(const PolicyParams& p)
      : rule_(p), penalty_(p.at("answer_penalty")), bandit_(kArms, p.at("discount"), p.at("explore")) {}

  Plan decide(const PolicyInput& in) override {
    double t_cloud = 0;
    // msao's own choice, without leaving its ExecPlan behind: the plan
    // returned here may be another arm's.
    const Plan own = rule_.decide(PolicyInput{in.request, in.obs, in.planner, nullptr}, &t_cloud);
    if (rule_.cloud_held(in.obs)) return own;
    const BanditContext ctx = bandit_context(in.obs);
    const int arm = bandit_.choose(ctx, arm_of(own));
    pending_[in.request.id] = {ctx, arm, t_cloud};
    const Plan race = rule_.race_plan(in.request);
    switch (arm) {
      case kEdge: return MsaoRule::variant(race, Placement::Edge, "msao-adaptive:edge");
      case kTokens: return rule_.tokens_plan(race, "msao-adaptive:collab");
      case kOffload: return MsaoRule::variant(race, Placement::Cloud, "msao-adaptive:cloud");
      default: {
        Plan p = race;
        p.label = "msao-adaptive:race";
        return p;
      }
    }
  }

  void observe(const Request& r, const Plan&, const RequestRecord& rec) override {
    const auto it = pending_.find(r.id);
    if (it == pending_.end()) return;
    const Pull& pull = it->second;
    bandit_.observe(pull.ctx, pull.arm, device_reward(rec, pull.t_ref, penalty_, r.edge_confidence));
    pending_.erase(it);
  }

 private:
  struct Pull {
    BanditContext ctx;
    int arm;
    double t_ref;
  };
  // The arm of msao's own decision (its labels, policies/msao.cpp).
  static int arm_of(const Plan& p) {
    if (p.placement == Placement::Edge) return kEdge;
    if (p.spec == Speculation::Tokens) return kTokens;
    if (p.spec == Speculation::Race) return kRace;
    return kOffload;
  }
  MsaoRule rule_;
  double penalty_;
  ContextBandit bandit_;
  std::map<uint64_t, Pull> pending_;
};

std::vector<ParamSpec> params() {
  std::vector<ParamSpec> p = msao_param_specs();
  p.push_back({"discount", 0.99, 0.5, 1, "discounted UCB: weight of an outcome per later outcome in its context bucket (1: no forgetting)"});
  p.push_back({"explore", 0.2, 0, 10, "discounted UCB: weight of the exploration bonus (reward units: latency / predicted cloud latency)"});
  p.push_back({"answer_penalty", 0.5, 0, 100,
               "seconds of latency an answer the cloud neither produced nor verified costs per unit of the edge's doubt "
               "in it (1 - edge confidence)"});
  return p;
}

const bool registered = register_policy(
    {"msao-adaptive",
     "msao with its placement (edge, race, token-level collaboration, offload) learned online per context (bandwidth, "
     "RTT, cloud queue) by discounted UCB",
     params(), [](const PolicyParams& p) { return std::make_unique<MsaoAdaptive>(p); }});

}  // namespace
}  // namespace msao
