// msao: Modality-Sparsity-Aware Offloading (Yang et al., "MSAO: Adaptive
// Modality Sparsity-Aware Offloading with Edge-Cloud Collaboration for
// Efficient Multimodal LLM Inference", arXiv 2604.02945). Per request:
//  1. MAS on the edge (mas_aware = 1): the edge computes the MAS parts from
//     early encoder layers (Plan.mas_on_edge, costed by the planner) and
//     keeps of each present modality the needed fraction
//     spatial * temporal, widened by `margin`; a modality whose modal
//     relevance is below `drop_modal` is dropped. What is pruned is neither
//     encoded nor uploaded. mas_aware = 0 keeps everything.
//  2. Placement from MAS and the observed state: the planner predicts the
//     cloud path (pruned upload at the measured bandwidth, RTT, reported
//     cloud queue) and the edge answer (plus the edge queue ahead); when the
//     cloud path is predicted more than `edge_ratio` times slower than the
//     edge, the edge answers alone. When the edge (behind its queue) cannot
//     finish before the cloud, or speculation = 0, the pruned request is
//     offloaded without an edge run.
//  3. Otherwise the two collaborate, token by token (collab = 1, the
//     paper's mechanism): the pruned inputs go up at once and the cloud
//     prefills them while the edge runs its own prefill; the edge drafts up
//     to `gamma` tokens per round; a draft whose every token has confidence
//     >= `confidence` is sent for verification in parallel while the edge
//     keeps drafting the next round (pipelined); the first token below it
//     ends the draft and hands the generation to the cloud at once (its
//     state: the token ids so far, and the draft's confident tokens before
//     the unsure one, which the cloud's first pass verifies and keeps where
//     they agree). A hand-off right after the cloud's context prefill
//     costs no pass: that prefill's logits give the cloud's first token.
//     Every answer is the cloud model's (verified or generated there).
//     lead = 1 (not in the paper) lets the cloud lead instead: its context
//     job generates the whole answer, decoding as soon as its prefill is
//     done, and each draft of `gamma` goes up to be checked against what
//     the cloud has produced; drafts reaching past the cloud's position join
//     its next iteration as one multi-token step (docs/token-level.md). The
//     edge then only helps where it drafts faster than the cloud decodes,
//     net of the network; otherwise the request takes what the pruned
//     offload would.
//     collab = 0 keeps the earlier whole-answer race for comparison: the
//     edge answers while the pruned upload and the cloud work proceed; an
//     edge answer with confidence >= `confidence` returns early, unverified,
//     and cancels the cloud work.
//  4. Faults (not in the paper): after a failed cloud interaction the edge
//     answers alone for `fault_hold` seconds (then probes the cloud again).
// The thresholds are parameters (the paper tunes them offline with Bayesian
// optimisation); the defaults below are documented starting points.
// The building blocks are in policies/msao_core.hpp (shared with msao-adaptive).
#include "policies/msao_core.hpp"

namespace msao {
namespace {

class Msao final : public Policy {
 public:
  explicit Msao(const PolicyParams& p) : rule_(p) {}
  Plan decide(const PolicyInput& in) override { return rule_.decide(in); }

 private:
  MsaoRule rule_;
};

const bool registered = register_policy(
    {"msao",
     "MAS-aware pruning on the edge, placement from MAS and observed link/queues, confidence-guided token-level "
     "speculation with hand-off (MSAO)",
     msao_param_specs(), [](const PolicyParams& p) { return std::make_unique<Msao>(p); }});

}  // namespace
}  // namespace msao
