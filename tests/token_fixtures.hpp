// Token-level sessions with hand-set costs and rules, for engine tests that
// compare against hand computation.
#pragma once
#include <memory>

#include "sim/engine/token_program.hpp"

namespace msao::test {

// Every phase at a fixed cost: the edge's context `edge_ctx_s`, `draft_s`
// per drafted token; the context upload of `ctx_up` bytes and a prefill of
// `ctx_tokens`; each verification pass `verify_up` bytes, a prefill of
// `verify_tokens` and `verify_down` bytes back; a hand-off sends
// `header + 4 * tokens so far` and decodes the rest.
struct FixedCosts final : TokenCosts {
  double edge_ctx_s = 0.02, draft_s = 0.005;
  double ctx_up = 50000;
  int ctx_tokens = 100;
  double verify_up = 100, verify_down = 50;
  int verify_tokens = 5;
  double header = 300;
  EdgeWork edge_context() const override { return {edge_ctx_s, 0}; }
  CloudWork cloud_context() const override {
    CloudWork w;
    w.up_bytes = ctx_up;
    w.job.prefill_tokens = ctx_tokens;
    return w;
  }
  EdgeWork draft(int, int k) const override { return {k * draft_s, 0}; }
  CloudWork verify(const RoundState& s, int) const override {
    CloudWork w;
    w.up_bytes = verify_up;
    w.down_bytes = verify_down;
    w.job.context_tokens = s.cloud_kv_tokens;
    w.job.prefill_tokens = verify_tokens;
    return w;
  }
  // A hand-off sends `header + 4 * (tokens so far + lead)`, prefills the
  // last token and the lead (none right after the context prefill, whose
  // logits give the first token) and generates the rest.
  CloudWork handoff(const RoundState& s, int lead, int accepted) const override {
    CloudWork w;
    w.up_bytes = header + 4.0 * (s.step + lead);
    w.job.context_tokens = s.cloud_kv_tokens;
    const bool current = s.inputs_on_cloud && s.cloud_kv_tokens == ctx_tokens + s.step;
    w.job.prefill_tokens = (current ? 0 : 1) + lead;
    w.job.first_token_ready = w.job.prefill_tokens == 0;
    w.job.decode_tokens = s.output_tokens - s.step - accepted;
    w.down_bytes = header + 4.0 * w.job.decode_tokens;
    return w;
  }
  // The cloud leads: the context job decodes the whole answer; a draft
  // sends `header + 4 k`, a reply `header + 4 tokens`.
  CloudWork cloud_generation(int output_tokens) const override {
    CloudWork w = cloud_context();
    w.job.decode_tokens = output_tokens;
    w.down_bytes = reply_bytes(output_tokens);
    return w;
  }
  double draft_bytes(int k) const override { return header + 4.0 * k; }
  double reply_bytes(int tokens) const override { return header + 4.0 * tokens; }
};

// Drafts `gamma` each round; verifies, or hands off at step `handoff_at`.
struct ScriptedRule final : TokenRule {
  int gamma = 4;
  int handoff_at = -1;
  ScriptedRule(int g, bool pipe, int handoff = -1, bool send_lead = false) : gamma(g), handoff_at(handoff) {
    pipelined = pipe;
    handoff_sends_lead = send_lead;
  }
  int window(const RoundState&) override { return gamma; }
  AfterDraft after_draft(const RoundState& s) override {
    return s.step == handoff_at ? AfterDraft::Handoff : AfterDraft::Verify;
  }
};

// The cloud leads; the edge drafts `gamma` a round, `drafts` rounds at most.
struct LeadRule final : TokenRule {
  int gamma, drafts;
  LeadRule(int g, int max_drafts) : gamma(g), drafts(max_drafts) { cloud_leads = true; }
  int window(const RoundState&) override { return drafts-- > 0 ? gamma : 0; }
  AfterDraft after_draft(const RoundState&) override { return AfterDraft::Verify; }
};

inline ExecPlan token_plan(std::shared_ptr<TokenRule> rule, std::shared_ptr<const TokenCosts> costs) {
  ExecPlan p;
  p.phases = scheme::kTokens;
  p.tokens = {std::move(rule), std::move(costs)};
  return p;
}

}  // namespace msao::test
