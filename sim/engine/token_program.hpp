// Token-level collaboration as the engine sees it: a request's generation
// runs as phases (the edge's context, drafts of k tokens, verification
// passes, a hand-off of the rest to the cloud) that a program emits at
// round boundaries, from what has happened so far and what the device
// observes at that moment. The engine (token_session.cpp) owns waiting,
// overlapping, cancelling, queueing and accounting; the program owns the
// decisions (TokenRule, written by a policy) and the costs (TokenCosts,
// written by the planner from the cost model). Neither computes a time.
#pragma once
#include <memory>

#include "sim/engine/exec_plan.hpp"
#include "sim/engine/observation.hpp"

namespace msao {

// What a rule sees at a round boundary.
struct RoundState {
  Observation obs;            // the device's view now (bandwidth, RTT, queues)
  int step = 0;               // output tokens final so far
  int output_tokens = 0;      // the answer's length: generation ends there (the EOS position)
  int rounds = 0;             // verification passes so far
  int drafted = 0;            // after_draft: tokens of the draft awaiting a decision
  double draft_confidence = 1, min_confidence = 1;  // after_draft: the edge's mean and lowest per-token confidence in it
  int confident_lead = 0;     // after_draft: its leading tokens at or above the rule's stop_below
  int last_verified = 0;      // tokens sent in the last verification pass
  int last_accepted = -1;     // of those, accepted (-1: no pass yet)
  int cloud_kv_tokens = 0;    // this request's tokens in the cloud's KV cache (context + verified drafts)
  bool inputs_on_cloud = false;  // the kept inputs have been uploaded
  double draft_s_per_token = 0;  // edge seconds to draft one token now (from the cost model)
  double last_verify_s = 0;      // measured: send to reply of the last verification pass (0: none yet)
};

// What to do with a finished draft.
enum class AfterDraft {
  Verify,   // send it up; the cloud verifies it in one pass (the answer stays the cloud model's)
  Commit,   // keep it unverified (edge-only tokens: the answer may carry the edge model's errors)
  Handoff,  // hand the generation over to the cloud, which finishes the answer (the draft is
            // discarded, or its confident lead verified on the way: handoff_sends_lead)
};

// A policy's decisions for one request (one object per request: it may keep state).
class TokenRule {
 public:
  virtual ~TokenRule() = default;
  // Tokens to draft next (clamped to what is left); 0 hands the rest to the cloud now.
  virtual int window(const RoundState& s) = 0;
  virtual AfterDraft after_draft(const RoundState& s) = 0;
  // Draft round k+1 while round k's verification is in flight; on a
  // rejection the speculative draft is discarded (cancelled if running).
  bool pipelined = false;
  // Upload the kept inputs and prefill them on the cloud at the start, in
  // parallel with the edge's own prefill, so later passes find the context cached.
  bool context_upfront = true;
  // A draft stops early at the first token whose confidence is below this
  // (that token included), so a rule can act on low confidence at once.
  double stop_below = -1;
  // A hand-off carries the draft's confident lead (RoundState::confident_lead):
  // the cloud's first pass verifies it, keeps the agreeing tokens and
  // continues from its own token after them, instead of discarding the draft.
  bool handoff_sends_lead = false;
  // The cloud leads (implies context_upfront): the context job generates
  // the whole answer, decoding as soon as its prefill is done; each finished
  // draft goes up and is checked against what the cloud has produced, its
  // positions beyond the cloud's joining the sequence's next iteration as
  // one multi-token step. after_draft is not asked; window() = 0 stops
  // drafting. Serial: the next draft starts when the last one's reply is in
  // (`pipelined` does not apply). docs/token-level.md, "The cloud leads".
  bool cloud_leads = false;
};

// Device seconds (and FLOPs) of work on the edge accelerator.
struct EdgeWork {
  double seconds = 0, flops = 0;
};
// One cloud interaction: upload, a job in the GPU's continuous batching, reply.
struct CloudWork {
  double up_bytes = 0, down_bytes = 0;
  CloudJob job;
};

// The cost of each phase, from the cost model (implemented by the planner).
class TokenCosts {
 public:
  virtual ~TokenCosts() = default;
  virtual EdgeWork edge_context() const = 0;  // the edge model's encoders and prefill on the kept inputs
  virtual CloudWork cloud_context() const = 0;  // kept inputs up, cloud encoders + prefill, no reply
  virtual EdgeWork draft(int step, int k) const = 0;  // the edge drafting k tokens after `step`
  // One verification pass of k drafted tokens after `step` (k+1 positions on the cached context).
  virtual CloudWork verify(const RoundState& s, int k) const = 0;
  // The cloud taking over at s.step: what it needs sent (kept inputs if not
  // uploaded, the tokens its cache lacks, `lead` drafted tokens to verify on
  // the way) and the job that prefills them and generates the rest, of
  // which the cloud keeps `accepted` of the lead (accepted <= lead).
  virtual CloudWork handoff(const RoundState& s, int lead, int accepted) const = 0;
  // The cloud leads (TokenRule::cloud_leads): the context job generating the
  // whole answer of `output_tokens`; a draft of k token ids going up; a reply
  // carrying `tokens` of the cloud's output.
  virtual CloudWork cloud_generation(int output_tokens) const = 0;
  virtual double draft_bytes(int k) const = 0;
  virtual double reply_bytes(int tokens) const = 0;
};

}  // namespace msao
