// spec-decode: speculative decoding across the edge-cloud link (Leviathan,
// Kalman and Matias, "Fast Inference from Transformers via Speculative
// Decoding", ICML 2023), serial: the raw inputs go up and the cloud model
// prefills them while the edge model runs its own prefill; then, round
// after round, the edge drafts `gamma` tokens, sends them, and waits while
// the cloud verifies them in one pass (longest agreeing prefix accepted,
// plus the cloud's own next token). Acceptance is the request's draft/full
// agreement (workloads/draft_tokens.hpp), so each round yields
// (1 - alpha^(gamma+1)) / (1 - alpha) tokens in expectation.
// Optional U-HLM skip (Oh et al., "Uncertainty-Aware Hybrid Inference with
// On-Device Small and Remote Large Language Models", 2024): when the
// draft's confidence is at least `skip_confidence`, verification is
// skipped and the edge answers alone (default above 1: never).
#include <cmath>

#include "sim/policy/policy.hpp"

namespace msao {
namespace {

class SerialRounds final : public TokenRule {
 public:
  explicit SerialRounds(int gamma) : gamma_(gamma) { context_upfront = true; }
  int window(const RoundState&) override { return gamma_; }
  AfterDraft after_draft(const RoundState&) override { return AfterDraft::Verify; }

 private:
  int gamma_;
};

class SpecDecode final : public Policy {
 public:
  explicit SpecDecode(const PolicyParams& p)
      : gamma_(static_cast<int>(std::lround(p.at("gamma")))), skip_(p.at("skip_confidence")) {}
  Plan decide(const PolicyInput& in) override {
    Plan p;
    if (in.request.edge_confidence >= skip_) {
      p.placement = Placement::Edge;
      p.label = "draft:skip-verify";
      return p;
    }
    p.placement = Placement::Cloud;
    p.spec = Speculation::Tokens;
    p.rule = std::make_shared<SerialRounds>(gamma_);
    p.label = "draft-verify";
    return p;
  }

 private:
  int gamma_;
  double skip_;
};

const bool registered = register_policy(
    {"spec-decode", "Edge drafts gamma tokens, cloud verifies each round serially (Leviathan et al. 2023), optional U-HLM verify skip",
     {{"gamma", 4, 1, 64, "draft tokens per verification round", ParamKind::Integer},
      {"skip_confidence", 1.1, 0, 1.1, "U-HLM: skip cloud verification at draft confidence >= this (>1: never)"}},
     [](const PolicyParams& p) { return std::make_unique<SpecDecode>(p); }});

}  // namespace
}  // namespace msao
