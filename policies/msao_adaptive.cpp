// msao-adaptive: msao (policies/msao.cpp: Yang et al., arXiv 2604.02945 —
// MAS pruning on the edge, placement from MAS and the observed link and
// queues, token-level draft/verify with hand-off) whose confidence
// threshold is chosen per request online instead of tuned offline. The
// paper tunes its thresholds offline on a static network; this policy
// learns them during the run from what the device observes, so they follow
// a drifting link and load (issue 17, "Online adaptation").
// Rule: a contextual bandit over `arms` confidence thresholds evenly spaced
// in [conf_lo, conf_hi], by discounted UCB (Garivier & Moulines, ALT 2011)
// in each context bucket (log2 measured uplink bandwidth x log2 RTT
// estimate x log2(1 + cloud queue told at decision time)); sim/policy/threshold_bandit.hpp
// has the formula. Only token-level collaborations ("msao:collab") use the
// threshold, so only they pull an arm and learn. The reward is the
// request's measured latency over the planner's predicted latency of its
// pruned cloud path, minus `answer_penalty` if the answer was not produced
// or verified by the cloud (device-observable fields of RequestRecord
// only: status, failure, done - arrival, answered_by, edge_only_tokens;
// never the ground-truth `correct`). Deterministic: no random numbers.
// Everything else (pruning, placement, gamma, faults) is msao's, with
// msao's parameters.
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include "sim/policy/msao_core.hpp"
#include "sim/policy/threshold_bandit.hpp"

namespace msao {
namespace {

class MsaoAdaptive final : public Policy {
 public:
  explicit MsaoAdaptive(const PolicyParams& p)
      : knobs_(p), penalty_(p.at("answer_penalty")),
        bandit_(static_cast<int>(std::lround(p.at("arms"))), 0, p.at("discount"), p.at("explore")) {
    const int n = bandit_.arms();
    for (int i = 0; i < n; ++i)
      thresholds_.push_back(n == 1 ? p.at("conf_lo") : p.at("conf_lo") + (p.at("conf_hi") - p.at("conf_lo")) * i / (n - 1));
    // Start from the arm nearest msao's own threshold.
    int first = 0;
    for (int i = 0; i < n; ++i)
      if (std::abs(thresholds_[i] - knobs_.confidence) < std::abs(thresholds_[first] - knobs_.confidence)) first = i;
    bandit_ = ThresholdBandit(n, first, p.at("discount"), p.at("explore"));
  }

  Plan decide(const PolicyInput& in) override {
    double t_cloud = 0;
    Plan plan = knobs_.decide(in, &t_cloud);
    if (plan.spec != Speculation::Tokens) return plan;
    const BanditContext ctx = bandit_context(in.obs);
    const int arm = bandit_.choose(ctx);
    plan.rule = std::make_shared<MsaoRounds>(knobs_.gamma, thresholds_[arm]);
    char label[48];
    std::snprintf(label, sizeof label, "msao-adaptive:collab@%.3g", thresholds_[arm]);
    plan.label = label;
    pending_[in.request.id] = {ctx, arm, t_cloud};
    return plan;
  }

  void observe(const Request& r, const Plan&, const RequestRecord& rec) override {
    const auto it = pending_.find(r.id);
    if (it == pending_.end()) return;
    const Pull& pull = it->second;
    bandit_.observe(pull.ctx, pull.arm, device_reward(rec, pull.t_ref, penalty_));
    pending_.erase(it);
  }

 private:
  struct Pull {
    BanditContext ctx;
    int arm;
    double t_ref;
  };
  MsaoKnobs knobs_;
  double penalty_;
  ThresholdBandit bandit_;
  std::vector<double> thresholds_;
  std::map<uint64_t, Pull> pending_;
};

std::vector<ParamSpec> params() {
  std::vector<ParamSpec> p = msao_param_specs();
  p.push_back({"arms", 3, 1, 16, "confidence thresholds the bandit chooses among, evenly spaced in [conf_lo, conf_hi]"});
  p.push_back({"conf_lo", 0.5, 0, 1.01, "lowest confidence threshold arm"});
  p.push_back({"conf_hi", 1.0, 0, 1.01, "highest confidence threshold arm"});
  p.push_back({"discount", 0.995, 0.5, 1, "discounted UCB: weight of an outcome per later outcome in its context bucket (1: no forgetting)"});
  p.push_back({"explore", 0.02, 0, 10, "discounted UCB: weight of the exploration bonus (reward units: latency / predicted latency)"});
  p.push_back({"answer_penalty", 1, 0, 100, "reward penalty for an answer the cloud neither produced nor verified"});
  return p;
}

const bool registered = register_policy(
    {"msao-adaptive",
     "msao with its confidence threshold learned online per context (bandwidth, RTT, cloud queue) by discounted UCB",
     params(), [](const PolicyParams& p) { return std::make_unique<MsaoAdaptive>(p); }});

}  // namespace
}  // namespace msao
