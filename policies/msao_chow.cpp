// msao-chow: msao (policies/msao.cpp: Yang et al., arXiv 2604.02945 —
// MAS pruning on the edge, placement from MAS and the observed link and
// queues, confidence-guided speculation) whose confidence threshold is set
// per request from what the device observes now, instead of fixed offline.
// The paper tunes one threshold on a static network; under drift the price
// of waiting for the cloud changes, and so should the threshold.
// Rule: Chow's reject rule (C. K. Chow, "On optimum recognition error and
// reject tradeoff", IEEE Trans. Inf. Theory 16(1), 1970) with a deferral
// cost that is the request's expected wait for the cloud. In msao's race
// the edge and the pruned cloud path start together; when the edge answer
// is ready with confidence c, keeping it costs an expected
// `answer_penalty` x (`confidence` - c) seconds of answer quality (the
// cloud's own accuracy bounds what deferring buys: `confidence` is the
// threshold at zero wait), and deferring costs the remaining cloud wait w.
// So the threshold is
//     theta = confidence - w / (answer_penalty x e^mu),
// and the edge answer stands at c >= theta. w is the planner's predicted
// pruned cloud path minus the edge's (behind its own queue), times a
// correction learned online: an EWMA, per context bucket (log2 measured
// uplink Mbit/s, log2 RTT ms, log2(1 + cloud queue told)), of measured /
// predicted latency of the requests the cloud answered (the first one
// sets it). mu is the price's online part: dual (sub)gradient ascent on a
// long-term accuracy budget (Mahdavi, Jin & Yang, "Trading regret for
// efficiency: online convex optimization with long-term constraints", JMLR
// 13, 2012): after each request, mu += dual_rate x (loss -
// accuracy_budget), where loss is (confidence - c) for an answer the cloud
// neither gave nor verified and 0 otherwise, so the expected loss per
// request is held at the budget whatever the link does. theta <= 0 (the
// cloud cannot be worth its wait for any answer): the edge alone, nothing
// uploaded. The edge cannot finish first: the pruned offload.
// Only device-observable fields are read (status, done - arrival,
// answered_by, edge_only_tokens, the edge confidence the device computed);
// never the ground-truth `correct`. Deterministic: no random numbers.
// Pruning and the fault hold (after a failed cloud interaction: the edge
// alone) are msao's, with msao's parameters.
#include <algorithm>
#include <cmath>
#include <map>

#include "sim/policy/context_bandit.hpp"
#include "policies/msao_core.hpp"

namespace msao {
namespace {

// msao's knobs this rule replaces (placement by edge_ratio, the mechanism)
// are not its parameters; MsaoRule still reads them, at msao's defaults.
PolicyParams with_msao_defaults(PolicyParams p) {
  for (const ParamSpec& s : msao_param_specs()) p.try_emplace(s.name, s.dflt);
  return p;
}

class MsaoChow final : public Policy {
 public:
  explicit MsaoChow(const PolicyParams& p)
      : rule_(with_msao_defaults(p)), penalty_(p.at("answer_penalty")), rate_(p.at("learn_rate")), budget_(p.at("accuracy_budget")),
        dual_rate_(p.at("dual_rate")) {}

  Plan decide(const PolicyInput& in) override {
    const Request& r = in.request;
    if (rule_.cloud_held(in.obs))
      return MsaoRule::variant(rule_.race_plan(r), Placement::Edge, "msao-chow:edge(cloud-down)");
    MsaoRule::RacePaths paths = rule_.race_paths(in);
    Plan& race = paths.race;
    const double t_edge = paths.t_edge, predicted = paths.t_cloud;
    const BanditContext ctx = bandit_context(in.obs);
    const auto c = correction_.find(ctx);
    const double t_cloud = predicted * (c == correction_.end() ? 1.0 : c->second);
    pending_[r.id] = {ctx, predicted};
    if (t_edge >= t_cloud) return MsaoRule::variant(race, Placement::Cloud, "msao-chow:cloud");
    const double theta = rule_.confidence - (t_cloud - t_edge) / std::max(penalty_ * std::exp(dual_), 1e-9);
    if (theta <= 0) return MsaoRule::variant(race, Placement::Edge, "msao-chow:edge");
    race.confidence_threshold = std::min(theta, 1.0);
    race.label = "msao-chow:race";
    return race;
  }

  void observe(const Request& r, const Plan&, const RequestRecord& rec) override {
    const auto it = pending_.find(r.id);
    if (it == pending_.end()) return;
    const Pending p = it->second;
    pending_.erase(it);
    // Dual ascent on the accuracy budget: an answer the cloud neither
    // produced nor verified is expected to lose (confidence - c) against the
    // cloud's; spending more than the budget per request raises the price.
    if (rec.status == RequestStatus::Completed) {
      const bool kept = rec.answered_by != AnsweredBy::Cloud || rec.edge_only_tokens > 0;
      const double loss = kept ? rule_.confidence - std::clamp(r.edge_confidence, 0.0, 1.0) : 0.0;
      dual_ = std::clamp(dual_ + dual_rate_ * (loss - budget_), -kMaxDual, kMaxDual);
    }
    if (!(rate_ > 0) || rec.status != RequestStatus::Completed || rec.answered_by != AnsweredBy::Cloud || !(p.predicted > 0))
      return;
    const double ratio = std::clamp(rec.latency() / p.predicted, 0.1, 10.0);
    auto [slot, fresh] = correction_.try_emplace(p.ctx, ratio);
    if (!fresh) slot->second += rate_ * (ratio - slot->second);
  }

 private:
  struct Pending {
    BanditContext ctx;
    double predicted;
  };
  MsaoRule rule_;
  static constexpr double kMaxDual = 8;  // the price moves at most e^8 either way
  double penalty_, rate_, budget_, dual_rate_;
  double dual_ = 0;  // log of the price multiplier
  std::map<BanditContext, double> correction_;
  std::map<uint64_t, Pending> pending_;
};

std::vector<ParamSpec> params() {
  std::vector<ParamSpec> p;
  for (ParamSpec& s : msao_param_specs())
    if (s.name != "edge_ratio" && s.name != "gamma" && s.name != "collab" && s.name != "lead" &&
        s.name != "speculation")
      p.push_back(std::move(s));
  for (ParamSpec& s : p)
    if (s.name == "confidence") s.help = "the edge answer's confidence threshold when the cloud answer would cost no wait";
  p.push_back({"answer_penalty", 0.5, 1e-3, 100,
               "seconds of waiting one unit of confidence is worth: the threshold falls by (expected cloud wait) / this"});
  p.push_back({"accuracy_budget", 0.005, -1, 1,
               "expected accuracy the answers the cloud did not give may lose per request against the cloud's "
               "(sum of confidence - c over them, per request); held online by dual ascent on answer_penalty"});
  p.push_back({"dual_rate", 0.5, 0, 10, "dual ascent step on log(answer_penalty) per request (0: a fixed price)"});
  p.push_back({"learn_rate", 0.1, 0, 1,
               "EWMA weight of each measured/predicted cloud latency in its context bucket (0: trust the planner)"});
  return p;
}

const bool registered = register_policy(
    {"msao-chow",
     "msao's race with a per-request threshold from the expected cloud wait (Chow's reject rule), the wait corrected "
     "online per context and the price of doubt held to an accuracy budget by dual ascent",
     params(), [](const PolicyParams& p) { return std::make_unique<MsaoChow>(p); }});

}  // namespace
}  // namespace msao
