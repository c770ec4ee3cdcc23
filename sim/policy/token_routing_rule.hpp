// A token-level rule shared by per-token routing schemes: the edge drafts
// one token at a time and keeps it when its confidence is at least
// `threshold`; otherwise that position goes to the cloud, whose token
// replaces the edge's (a one-token verification pass: the cloud's own token
// at that position comes back either way). The schemes differ only in
// when the context reaches the cloud, so one policy class serves them all.
#pragma once
#include <memory>
#include <string>

#include "sim/engine/token_program.hpp"
#include "sim/policy/policy.hpp"

namespace msao {

class PerTokenRouting final : public TokenRule {
 public:
  PerTokenRouting(double threshold, bool upload_context_first) : threshold_(threshold) {
    context_upfront = upload_context_first;
  }
  int window(const RoundState&) override { return 1; }
  AfterDraft after_draft(const RoundState& s) override {
    return s.min_confidence >= threshold_ ? AfterDraft::Commit : AfterDraft::Verify;
  }

 private:
  double threshold_;
};

// A per-token routing scheme: every request runs PerTokenRouting at the
// policy's `threshold`; `upload_context_first` sends the context to the
// cloud at once (in parallel with local generation) rather than with the
// first routed token.
class PerTokenRoutingPolicy final : public Policy {
 public:
  PerTokenRoutingPolicy(const PolicyParams& p, bool upload_context_first, std::string label)
      : threshold_(p.at("threshold")), upload_context_first_(upload_context_first), label_(std::move(label)) {}
  Plan decide(const PolicyInput&) override {
    Plan p;
    p.placement = Placement::Cloud;
    p.spec = Speculation::Tokens;
    p.rule = std::make_shared<PerTokenRouting>(threshold_, upload_context_first_);
    p.label = label_;
    return p;
  }

 private:
  double threshold_;
  bool upload_context_first_;
  std::string label_;
};

}  // namespace msao
