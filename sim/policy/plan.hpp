// Plan: a policy's declarative decision for one request. It says WHAT
// should happen (where stages run, what content is kept, whether and how to
// speculate); the planner (sim/policy/planner) turns it into concrete
// seconds and bytes from the cost model, and the engine executes it. A
// policy never computes a duration itself.
#pragma once
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "sim/engine/token_program.hpp"
#include "sim/request.hpp"

namespace msao {

enum class Placement {
  Edge,   // the edge model answers (optionally with token pruning)
  Cloud,  // the cloud model answers; (kept) raw inputs are uploaded
  Split,  // the cloud model's stages are split: `edge_stages` run on the edge device
};

// With the placement, a shorthand for a standard phase sequence
// (sim/engine/phase.hpp): None is edge (Edge) or offload (Cloud, Split),
// the others the sequence of the same name. Tokens also has the planner
// price the rule's token program.
enum class Speculation {
  None,
  Race,         // edge answers while the upload and cloud work proceed; a confident edge answer cancels the cloud
  Cascade,      // edge answers first; escalate to the cloud only if not confident
  Tokens,       // token-level collaboration: `rule` decides every round (draft, verify, commit, hand off)
};

struct Plan {
  Placement placement = Placement::Edge;
  std::vector<std::string> edge_stages;  // Split: names of the stage-DAG nodes run on the edge
  // Fraction of each modality's content kept (patches x frames, or audio
  // seconds); 0 drops the modality. Content not kept is not uploaded.
  std::array<double, kNumModalities> keep{1.0, 1.0, 1.0};
  bool mas_on_edge = false;   // the edge computes MAS first (costed as the MAS kernel path)
  // The kept content is chosen blind to MAS (uniformly), at the fractions
  // `keep` gives: the same bytes and compute, MAS's choice of what to keep
  // undone (workloads/mas.hpp, uniform_pruning_retention).
  bool uniform_prune = false;
  // FastV-style token pruning inside the edge model: after layer
  // `prune_layer`, keep `token_keep` of the visual tokens (1 = off).
  double token_keep = 1.0;
  int prune_layer = 2;
  Speculation spec = Speculation::None;
  double confidence_threshold = 1.0;  // StopIfConfident, RaceEdge: accept the edge answer at confidence >= this
  std::string label;                  // short decision label for requests.csv
  std::shared_ptr<TokenRule> rule;    // Tokens: this request's round-by-round decisions
  // The engine's phases for this plan (sim/engine/phase.hpp), the scheme's
  // one description; empty: the standard sequence that placement and spec
  // are shorthands for. A scheme may compose its own, e.g. EdgePre,
  // EdgeAnswer, StopIfConfident, Tokens: a cascade that escalates to
  // token-level collaboration (policies/cascade_tokens.cpp).
  Phases phases;
};

}  // namespace msao
