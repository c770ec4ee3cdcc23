// TokenCosts from the cost model: what each phase of a token-level session
// costs for one request under one Plan (docs/speculation.md lists the bytes
// and compute of every case). The wire format is the planner's Protocol:
// token ids of bytes_per_token, one header per message.
#pragma once
#include "sim/cost/cost_model.hpp"
#include "sim/engine/token_program.hpp"

namespace msao {

struct TokenCostInputs {
  const cost::CostModel* edge = nullptr;  // the edge (draft) model on the edge device
  double header_bytes = 0, bytes_per_token = 0;
  EdgeWork edge_context;          // edge encoders + prefill on the kept inputs
  int edge_context_tokens = 0;    // the edge model's context after its prefill
  CloudWork cloud_context;        // kept inputs + prompt up; cloud encoders + prefill; no reply
};

class PlannedTokenCosts final : public TokenCosts {
 public:
  explicit PlannedTokenCosts(TokenCostInputs in) : in_(std::move(in)) {}
  EdgeWork edge_context() const override { return in_.edge_context; }
  CloudWork cloud_context() const override { return in_.cloud_context; }
  EdgeWork draft(int step, int k) const override;
  CloudWork verify(const RoundState& s, int k) const override;
  CloudWork handoff(const RoundState& s, int lead, int accepted) const override;
  CloudWork cloud_generation(int output_tokens) const override;
  double draft_bytes(int k) const override { return in_.header_bytes + k * in_.bytes_per_token; }
  double reply_bytes(int tokens) const override { return in_.header_bytes + tokens * in_.bytes_per_token; }

 private:
  // The cloud job that brings the cloud's cache up to the tokens final at
  // s.step (the kept inputs first if they were never uploaded) and
  // prefills `extra` more positions, and the message that carries them.
  CloudWork catch_up(const RoundState& s, int extra) const;
  TokenCostInputs in_;
};

}  // namespace msao
