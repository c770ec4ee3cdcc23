// spec-decode: speculative decoding across the edge-cloud link (Leviathan,
// Kalman and Matias, "Fast Inference from Transformers via Speculative
// Decoding", ICML 2023): the cloud model prefills the uploaded context; the
// edge model then drafts gamma tokens per round, the cloud verifies them in
// one pass, and with per-token acceptance alpha each round yields
// (1 - alpha^(gamma+1)) / (1 - alpha) tokens in expectation (the planner
// applies this). Optional U-HLM skip (Oh et al., "Uncertainty-Aware Hybrid
// Inference with On-Device Small and Remote Large Language Models", 2024):
// when the draft's confidence is at least `skip_confidence`, verification
// is skipped and the edge answers alone (default above 1: never).
#include <cmath>

#include "sim/policy/policy.hpp"

namespace msao {
namespace {

class SpecDecode final : public Policy {
 public:
  explicit SpecDecode(const PolicyParams& p)
      : gamma_(static_cast<int>(std::lround(p.at("gamma")))), alpha_(p.at("alpha")), skip_(p.at("skip_confidence")) {}
  Plan decide(const PolicyInput& in) override {
    Plan p;
    p.placement = Placement::Cloud;
    p.spec = Speculation::DraftVerify;
    p.draft_tokens = gamma_;
    p.acceptance = alpha_;
    p.skip_verify_confidence = skip_;
    p.label = in.request.edge_confidence >= skip_ ? "draft:skip-verify" : "draft-verify";
    return p;
  }

 private:
  int gamma_;
  double alpha_, skip_;
};

const bool registered = register_policy(
    {"spec-decode", "Edge drafts gamma tokens, cloud verifies (Leviathan et al. 2023), optional U-HLM verify skip",
     {{"gamma", 4, 1, 64, "draft tokens per verification round"},
      {"alpha", 0.7, 0, 0.999, "per-token acceptance rate of the draft/full model pair"},
      {"skip_confidence", 1.1, 0, 1.1, "U-HLM: skip cloud verification at draft confidence >= this (>1: never)"}},
     [](const PolicyParams& p) { return std::make_unique<SpecDecode>(p); }});

}  // namespace
}  // namespace msao
