// msao: Modality-Sparsity-Aware Offloading (Yang et al., "MSAO: Adaptive
// Modality Sparsity-Aware Offloading with Edge-Cloud Collaboration for
// Efficient Multimodal LLM Inference", arXiv 2604.02945; what is known of
// the method is in ../shared/seed/msao-notes.md). Per request:
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
//     state: the token ids so far), which finishes the answer. Every answer is the cloud model's
//     (verified or generated there).
//     collab = 0 keeps the earlier whole-answer race for comparison: the
//     edge answers while the pruned upload and the cloud work proceed; an
//     edge answer with confidence >= `confidence` returns early, unverified,
//     and cancels the cloud work.
//  4. Faults (not in the paper): after a failed cloud interaction the edge
//     answers alone for `fault_hold` seconds (then probes the cloud again).
// The thresholds are parameters (the paper tunes them offline with Bayesian
// optimisation); the defaults below are documented starting points.
#include <algorithm>
#include <cmath>

#include "sim/policy/planner.hpp"
#include "sim/policy/policy.hpp"
#include "workloads/mas.hpp"

namespace msao {
namespace {

// The token-level rule: draft gamma, verify while confident, hand off when not.
class MsaoRounds final : public TokenRule {
 public:
  MsaoRounds(int gamma, double confidence) : gamma_(gamma), confidence_(confidence) {
    pipelined = true;
    context_upfront = true;
    stop_below = confidence;  // an unsure token ends the draft at once
  }
  int window(const RoundState&) override { return gamma_; }
  AfterDraft after_draft(const RoundState& s) override {
    return s.min_confidence >= confidence_ ? AfterDraft::Verify : AfterDraft::Handoff;
  }

 private:
  int gamma_;
  double confidence_;
};

class Msao final : public Policy {
 public:
  explicit Msao(const PolicyParams& p)
      : margin_(p.at("margin")), drop_modal_(p.at("drop_modal")), confidence_(p.at("confidence")),
        edge_ratio_(p.at("edge_ratio")), gamma_(static_cast<int>(std::lround(p.at("gamma")))),
        mas_aware_(p.at("mas_aware") >= 0.5), speculation_(p.at("speculation") >= 0.5),
        token_level_(p.at("collab") >= 0.5), fault_hold_(p.at("fault_hold")) {}

  KeepArray keep_of(const Request& r) const {
    KeepArray keep{1.0, 1.0, 1.0};
    if (!mas_aware_) return keep;
    for (int m = 0; m < kNumModalities; ++m) {
      const ModalityInput& in = r.inputs[m];
      if (!in.present) continue;
      keep[m] = in.mas.modal < drop_modal_ ? 0.0
                                           : std::min(1.0, needed_fraction(in.mas.spatial, in.mas.temporal) * (1 + margin_));
    }
    return keep;
  }

  Plan decide(const PolicyInput& in) override {
    const Request& r = in.request;
    // The cloud failed this device recently and has not answered since:
    // stay on the edge for `fault_hold` seconds, then try the cloud again.
    const bool cloud_down = in.obs.cloud_failures > 0 && in.obs.now - in.obs.last_cloud_failure_s < fault_hold_;
    Plan race;
    race.keep = keep_of(r);
    race.mas_on_edge = mas_aware_;
    race.placement = Placement::Cloud;
    race.spec = Speculation::Race;
    race.confidence_threshold = confidence_;
    race.label = "msao:race";
    // The race plan holds both candidates: the edge answer (edge_answer_s)
    // and the pruned cloud path (its upload, job and reply), after the same
    // MAS pre-work. Planned once, it predicts both.
    ExecPlan er = in.planner.plan(r, race);
    const double t_edge = er.edge_pre_s + (1 + in.obs.edge_queue) * er.edge_answer_s;
    ExecPlan cloud_only = er;
    cloud_only.mode = ExecMode::Offload;
    const double t_cloud = in.planner.predict_latency(cloud_only, in.obs);
    if (cloud_down) return variant(race, Placement::Edge, "msao:edge(cloud-down)");
    if (t_cloud > edge_ratio_ * t_edge) return variant(race, Placement::Edge, "msao:edge");
    // Collaborate only when the edge, behind its own queue, can finish
    // before the cloud: otherwise it cannot help and only takes edge
    // capacity from later requests (what saturates first under load).
    if (!speculation_ || t_edge >= t_cloud) return variant(race, Placement::Cloud, "msao:cloud");
    if (token_level_) {
      Plan tokens = variant(race, Placement::Cloud, "msao:collab");
      tokens.spec = Speculation::Tokens;
      tokens.rule = std::make_shared<MsaoRounds>(gamma_, confidence_);
      return tokens;
    }
    if (in.planned) *in.planned = std::move(er);
    return race;
  }

  // The race plan turned into a plain edge answer or a plain offload.
  static Plan variant(Plan p, Placement where, const char* label) {
    p.placement = where;
    p.spec = Speculation::None;
    p.confidence_threshold = 1.0;
    p.label = label;
    return p;
  }

 private:
  double margin_, drop_modal_, confidence_, edge_ratio_;
  int gamma_;
  bool mas_aware_, speculation_, token_level_;
  double fault_hold_;
};

const bool registered = register_policy(
    {"msao",
     "MAS-aware pruning on the edge, placement from MAS and observed link/queues, confidence-guided token-level "
     "speculation with hand-off (MSAO)",
     {{"margin", 0.1, 0, 10, "keep the MAS-needed fraction of each modality widened by this relative margin"},
      {"drop_modal", 0.1, 0, 1, "drop a modality whose modal relevance (MAS modal part) is below this"},
      {"confidence", 0.9, 0, 1.01,
       "collab=1: verify a draft whose lowest token confidence is >= this, else hand off to the cloud; collab=0: "
       "accept the edge answer at confidence >= this and cancel the cloud"},
      {"edge_ratio", 3, 1, 1000, "answer on the edge alone when the cloud path is predicted this many times slower"},
      {"gamma", 4, 1, 64, "collab=1: tokens the edge drafts per round"},
      {"collab", 1, 0, 1, "1: token-level draft/verify with hand-off (the paper's mechanism); 0: whole-answer race"},
      {"mas_aware", 1, 0, 1, "1: MAS pruning/dropping on the edge; 0: send everything (ablation)"},
      {"speculation", 1, 0, 1, "1: confidence-guided speculation with the edge; 0: plain offload (ablation)"},
      {"fault_hold", 5, 0, 3600, "after a failed cloud interaction (link down, lost job, timeout), answer on the edge for this many seconds"}},
     [](const PolicyParams& p) { return std::make_unique<Msao>(p); }});

}  // namespace
}  // namespace msao
