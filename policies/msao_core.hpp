// msao's building blocks, shared by policies/msao.cpp (fixed thresholds)
// and policies/msao_adaptive.cpp (thresholds learned online): the MAS
// pruning, the placement rule and the token-level draft/verify/hand-off
// rule. The method and its source are described in policies/msao.cpp.
#pragma once
#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "sim/policy/planner.hpp"
#include "sim/policy/policy.hpp"
#include "workloads/mas.hpp"

namespace msao {

// The token-level rule: draft gamma, verify while confident, hand off when
// not. With `lead` the cloud generates from the start and the edge's
// drafts of gamma only shorten it (TokenRule::cloud_leads).
class MsaoRounds final : public TokenRule {
 public:
  MsaoRounds(int gamma, double confidence, bool lead = false) : gamma_(gamma), confidence_(confidence) {
    cloud_leads = lead;
    pipelined = true;
    context_upfront = true;
    stop_below = confidence;  // an unsure token ends the draft at once
    handoff_sends_lead = true;  // the tokens before it are confident: the cloud verifies them on the way
  }
  int window(const RoundState&) override { return gamma_; }
  AfterDraft after_draft(const RoundState& s) override {
    return s.min_confidence >= confidence_ ? AfterDraft::Verify : AfterDraft::Handoff;
  }

 private:
  int gamma_;
  double confidence_;
};

// msao's parameters (its registered table: msao_param_specs()).
struct MsaoRule {
  double margin, drop_modal, confidence, edge_ratio;
  int gamma;
  bool mas_aware, uniform, speculation, token_level, lead;
  double fault_hold;

  explicit MsaoRule(const PolicyParams& p)
      : margin(p.at("margin")), drop_modal(p.at("drop_modal")), confidence(p.at("confidence")),
        edge_ratio(p.at("edge_ratio")), gamma(static_cast<int>(std::lround(p.at("gamma")))),
        mas_aware(p.at("mas_aware") >= 0.5), uniform(p.at("uniform") >= 0.5), speculation(p.at("speculation") >= 0.5),
        token_level(p.at("collab") >= 0.5), lead(p.at("lead") >= 0.5), fault_hold(p.at("fault_hold")) {}

  KeepArray keep_of(const Request& r) const {
    KeepArray keep{1.0, 1.0, 1.0};
    if (!mas_aware) return keep;
    for (int m = 0; m < kNumModalities; ++m) {
      const ModalityInput& in = r.inputs[m];
      if (!in.present) continue;
      keep[m] = in.mas.modal < drop_modal ? 0.0
                                          : std::min(1.0, needed_fraction(in.mas.spatial, in.mas.temporal) * (1 + margin));
    }
    return keep;
  }

  // The race plan turned into a plain edge answer or a plain offload.
  static Plan variant(Plan p, Placement where, const char* label) {
    p.placement = where;
    p.spec = Speculation::None;
    p.confidence_threshold = 1.0;
    p.label = label;
    return p;
  }

  // The cloud failed this device recently and has not answered since.
  bool cloud_held(const Observation& o) const {
    return o.cloud_failures > 0 && o.now - o.last_cloud_failure_s < fault_hold;
  }

  // The race plan: the pruned request offloaded while the edge answers;
  // the other placements are variants of it.
  Plan race_plan(const Request& r) const {
    Plan race;
    race.keep = keep_of(r);
    race.mas_on_edge = mas_aware;
    race.uniform_prune = mas_aware && uniform;
    race.placement = Placement::Cloud;
    race.spec = Speculation::Race;
    race.confidence_threshold = confidence;
    race.label = "msao:race";
    return race;
  }

  // Token-level collaboration on the race plan's pruned inputs.
  Plan tokens_plan(const Plan& race, const char* label) const {
    Plan tokens = variant(race, Placement::Cloud, label);
    tokens.spec = Speculation::Tokens;
    tokens.rule = std::make_shared<MsaoRounds>(gamma, confidence, lead);
    return tokens;
  }

  // The race plan, planned, and the two latencies every msao placement
  // compares: the edge's answer behind its own queue and the pruned cloud
  // path. The race plan holds both candidates (the edge answer and the
  // upload, job and reply, after the same MAS pre-work), so one plan
  // predicts both.
  struct RacePaths {
    Plan race;
    ExecPlan planned;
    double t_edge, t_cloud;
  };
  RacePaths race_paths(const PolicyInput& in) const {
    RacePaths p{race_plan(in.request), {}, 0, 0};
    p.planned = in.planner.plan(in.request, p.race);
    p.t_edge = p.planned.edge_pre_s + (1 + in.obs.edge_queue) * p.planned.edge_answer_s;
    // The same priced work run as a plain offload: the cloud path alone.
    p.t_cloud = in.planner.predict(p.planned, scheme::kOffload, in.obs).seconds;
    return p;
  }

  // msao's decision for one request (policies/msao.cpp, steps 1-4). When
  // `t_cloud_out` is given it receives the planner's predicted latency of
  // the pruned cloud path.
  Plan decide(const PolicyInput& in, double* t_cloud_out = nullptr) const {
    // The cloud failed this device recently and has not answered since:
    // stay on the edge for `fault_hold` seconds, then try the cloud again.
    const bool cloud_down = cloud_held(in.obs);
    RacePaths paths = race_paths(in);
    const Plan& race = paths.race;
    const double t_edge = paths.t_edge, t_cloud = paths.t_cloud;
    if (t_cloud_out) *t_cloud_out = t_cloud;
    if (cloud_down) return variant(race, Placement::Edge, "msao:edge(cloud-down)");
    if (t_cloud > edge_ratio * t_edge) return variant(race, Placement::Edge, "msao:edge");
    // Collaborate only when the edge, behind its own queue, can finish
    // before the cloud: otherwise it cannot help and only takes edge
    // capacity from later requests (what saturates first under load).
    if (!speculation || t_edge >= t_cloud) return variant(race, Placement::Cloud, "msao:cloud");
    if (token_level) return tokens_plan(race, "msao:collab");
    if (in.planned) *in.planned = std::move(paths.planned);
    return race;
  }
};

inline std::vector<ParamSpec> msao_param_specs() {
  return {{"margin", 0.1, 0, 10, "keep the MAS-needed fraction of each modality widened by this relative margin"},
          {"drop_modal", 0.1, 0, 1, "drop a modality whose modal relevance (MAS modal part) is below this"},
          {"confidence", 0.9, 0, 1.01,
           "collab=1: verify a draft whose lowest token confidence is >= this, else hand off to the cloud; collab=0: "
           "accept the edge answer at confidence >= this and cancel the cloud"},
          {"edge_ratio", 3, 1, 1000, "answer on the edge alone when the cloud path is predicted this many times slower"},
          {"gamma", 4, 1, 64, "collab=1: tokens the edge drafts per round", ParamKind::Integer},
          {"collab", 1, 0, 1, "1: token-level draft/verify with hand-off (the paper's mechanism); 0: whole-answer race", ParamKind::Flag},
          {"lead", 0, 0, 1,
           "collab=1: 0: the edge drafts and the cloud verifies (the paper's mechanism); 1: the cloud generates from "
           "its context prefill on and the edge's drafts, checked against it, only shorten it",
           ParamKind::Flag},
          {"mas_aware", 1, 0, 1, "1: MAS pruning/dropping on the edge; 0: send everything (ablation)", ParamKind::Flag},
          {"uniform", 0, 0, 1,
           "mas_aware=1: 1 keeps MAS's fractions (same bytes and compute) but picks the kept content blind to MAS, "
           "uniformly (ablation: MAS off at equal cost)",
           ParamKind::Flag},
          {"speculation", 1, 0, 1, "1: confidence-guided speculation with the edge; 0: plain offload (ablation)", ParamKind::Flag},
          {"fault_hold", 5, 0, 3600,
           "after a failed cloud interaction (link down, lost job, timeout), answer on the edge for this many seconds"}};
}

}  // namespace msao
