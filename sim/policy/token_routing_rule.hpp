// A token-level rule shared by per-token routing schemes: the edge drafts
// one token at a time and keeps it when its confidence is at least
// `threshold`; otherwise that position goes to the cloud, whose token
// replaces the edge's (a one-token verification pass: the cloud's own token
// at that position comes back either way).
#pragma once
#include "sim/engine/token_program.hpp"

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

}  // namespace msao
