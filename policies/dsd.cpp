// dsd: distributed speculative decoding between an edge drafter and a cloud
// verifier, pipelined, with an adaptive draft window (Yu, Li, McDanel and
// Zhang, "DSD: A Distributed Speculative Decoding Solution for Edge-Cloud
// Agile Large Model Serving", arXiv 2511.21669). The raw inputs go up and
// the cloud prefills them while the edge runs its prefill; every draft is
// verified; the edge drafts round k+1 while round k's verification is in
// flight.
// Window: DSD's Adaptive Window Control is a learned policy whose weights
// are not public, so this file uses the analytical rule it approximates:
// choose gamma in [1, max_gamma] maximising the expected tokens per round
// (1 - a^(gamma+1)) / (1 - a) (Leviathan et al., 2023) over the pipelined
// round period max(gamma * t_draft, t_verify), with a the request's
// acceptance as observed so far (an EWMA of accepted / verified per pass,
// from the prior `alpha0`), t_draft the edge's per-token draft time (cost
// model) and t_verify the last measured verification round trip (the RTT
// estimate before the first). adaptive = 0 fixes the window at max_gamma.
#include <algorithm>
#include <cmath>

#include "sim/policy/policy.hpp"

namespace msao {
namespace {

class AdaptiveWindow final : public TokenRule {
 public:
  AdaptiveWindow(int max_gamma, double alpha0, bool adaptive)
      : max_(max_gamma), alpha_(alpha0), adaptive_(adaptive) {
    pipelined = true;
    context_upfront = true;
  }
  int window(const RoundState& s) override {
    if (s.last_accepted >= 0 && s.rounds > seen_) {
      seen_ = s.rounds;
      alpha_ = 0.5 * alpha_ + 0.5 * static_cast<double>(s.last_accepted) / std::max(1, s.last_verified);
    }
    if (!adaptive_) return max_;
    const double a = std::clamp(alpha_, 0.0, 0.999);
    const double t_verify = s.last_verify_s > 0 ? s.last_verify_s : s.obs.rtt_est_s;
    int best = 1;
    double best_rate = -1;
    for (int g = 1; g <= max_; ++g) {
      const double tokens = (1 - std::pow(a, g + 1)) / (1 - a);
      const double rate = tokens / std::max({g * s.draft_s_per_token, t_verify, 1e-12});
      if (rate > best_rate + 1e-12) best = g, best_rate = rate;
    }
    return best;
  }
  AfterDraft after_draft(const RoundState&) override { return AfterDraft::Verify; }

 private:
  int max_;
  double alpha_;
  bool adaptive_;
  int seen_ = 0;
};

class Dsd final : public Policy {
 public:
  explicit Dsd(const PolicyParams& p)
      : max_gamma_(static_cast<int>(std::lround(p.at("max_gamma")))), alpha0_(p.at("alpha0")),
        adaptive_(p.at("adaptive") >= 0.5) {}
  Plan decide(const PolicyInput&) override {
    Plan p;
    p.placement = Placement::Cloud;
    p.spec = Speculation::Tokens;
    p.rule = std::make_shared<AdaptiveWindow>(max_gamma_, alpha0_, adaptive_);
    p.label = "dsd";
    return p;
  }

 private:
  int max_gamma_;
  double alpha0_;
  bool adaptive_;
};

const bool registered = register_policy(
    {"dsd", "Pipelined edge-draft/cloud-verify speculative decoding with an adaptive draft window (DSD)",
     {{"max_gamma", 8, 1, 64, "largest draft window", ParamKind::Integer},
      {"alpha0", 0.7, 0, 0.999, "prior per-token acceptance before the first verification"},
      {"adaptive", 1, 0, 1, "1: window maximising expected tokens per pipelined round period; 0: always max_gamma", ParamKind::Flag}},
     [](const PolicyParams& p) { return std::make_unique<Dsd>(p); }});

}  // namespace
}  // namespace msao
