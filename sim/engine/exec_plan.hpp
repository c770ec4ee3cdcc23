// ExecPlan: what the engine executes for one request, in concrete seconds of
// device time and bytes on the wire. The planner (sim/planner) derives it from
// a policy's declarative Plan and the cost model; the engine turns it into
// SimGrid activities, so all timing (queueing, link sharing, batching) is
// SimGrid's. Keeping this plain struct between the two means the engine can
// be tested with hand-made plans (closed-form queueing tests) and policies
// without SimGrid.
#pragma once
#include <memory>
#include <string>

#include "sim/cost/memory_use.hpp"
#include "sim/engine/phase.hpp"
#include "sim/engine/prompt_reuse.hpp"

namespace msao {

// Work for the cloud GPU's batching server.
struct CloudJob {
  int prefill_tokens = 0;   // tokens prefilled in the job's first iteration
  int decode_tokens = 0;    // decode steps after the prefill (0: a pure prefill/verify job)
  int context_tokens = 0;   // context already cached before this job (draft-verify rounds)
  double pre_s = 0;         // cloud-side encoder/projector seconds, paid in the job's first iteration
  double pre_flops = 0;     // FLOPs of that pre-work (accounting)
  double pre_activation_bytes = 0;  // transient memory of that pre-work (peak-memory accounting)
  // The previous pass over this request's cached context already produced
  // the logits of its next token (a hand-off right after the context
  // prefill): no prefill, the first token is sampled on admission and
  // decoding starts in the next iteration.
  bool first_token_ready = false;
  // A disaggregated cloud's encode stage (sim/engine/cloud_pools.hpp): the
  // job runs only its cloud-side encoders (pre_s), no prefill, no token.
  bool encode_only = false;
  // Decoder positions the cloud-side encoders produce (their output is what
  // an encode pool sends to a prefill pool); 0: no cloud-side encoder.
  int encoder_tokens = 0;
  // What of its prompt the replica's prefix and encoder caches may hold.
  PromptReuse reuse;
  bool operator==(const CloudJob&) const = default;
};

class TokenRule;
class TokenCosts;
// Tokens: the policy's per-request rule and the planner's costs (sim/engine/token_program.hpp).
struct TokenProgram {
  std::shared_ptr<TokenRule> rule;
  std::shared_ptr<const TokenCosts> costs;
  // Costs are a function of the request and the plan, so two plans of the
  // same rule are the same program.
  bool operator==(const TokenProgram& o) const { return rule == o.rule; }
};

struct ExecPlan {
  // What the engine runs, and the scheme's name in requests.csv (scheme_name).
  Phases phases = scheme::kEdge;
  double edge_pre_s = 0;      // MAS analysis, pruning, split-prefix stages on the edge
  double edge_answer_s = 0;   // edge model producing its answer (prefill + decode), seconds
  double edge_ttft_s = 0;     // offset of the first token inside edge_answer_s
  double upload_bytes = 0;    // edge -> cloud
  CloudJob cloud;
  double reply_bytes = 0;     // cloud -> edge
  double edge_post_s = 0;     // Cloud: edge stages after the reply (a split that decodes on the edge)
  // The edge model answering alone, should the cloud fail (platform.faults);
  // 0: no fallback is planned (the request fails with the cloud).
  double fallback_edge_s = 0, fallback_edge_ttft_s = 0;
  bool fallback_correct = false;  // the edge model's answer on the kept inputs
  bool edge_confident = false;  // StopIfConfident, RaceEdge: the edge answer is accepted (confidence >= threshold)
  TokenProgram tokens;  // the Tokens phase's
  // Accounting (FLOPs are counted where the work runs; see docs/metrics.md).
  double edge_flops = 0;
  double edge_answer_flops = 0;  // of which the edge answer's (a race abandons part of it)
  // The edge model's prompt, when the plan runs it: positions (text and
  // visual) and the visual tokens among them (a session's context the
  // edge keeps for the next turn).
  int edge_prompt_tokens = 0, edge_visual_tokens = -1;
  int edge_cached_tokens = 0;  // of edge_prompt_tokens, already in the edge model's KV (not prefilled)
  cost::MemoryUse edge_mem;  // the edge's peak while serving it: weights, KV, activations (runtime added by the summary)
  // Correctness of each possible answer source, as the planner resolved it from the request's ground truth.
  bool edge_answer_correct = false, cloud_answer_correct = false;
  std::string decision;  // human-readable label of where each stage ran, for requests.csv
  bool operator==(const ExecPlan&) const = default;
};

}  // namespace msao
