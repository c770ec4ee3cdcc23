// cascade-tokens: a cascade whose escalation is token-level collaboration.
// The edge model answers first, as in cascade; an answer whose confidence
// is at least `threshold` is returned. An unsure one escalates, not to a
// whole cloud answer but to per-token routing (the rule ce-collm uses):
// the edge generates again, keeps each token it is confident of (at least
// `token_threshold`) and has the cloud produce the others, its context
// uploaded as the escalation starts.
//
// The scheme is its phase sequence: EdgePre, EdgeAnswer, StopIfConfident,
// Tokens. The engine runs each phase, the planner prices them, and the
// latency prediction, the oracle's view of it and requests.csv's `mode`
// all follow from the sequence (sim/engine/phase.hpp).
#include "sim/policy/token_routing_rule.hpp"

namespace msao {
namespace {

class CascadeTokens final : public Policy {
 public:
  explicit CascadeTokens(const PolicyParams& p) : threshold_(p.at("threshold")), token_threshold_(p.at("token_threshold")) {}
  Plan decide(const PolicyInput& in) override {
    Plan p;
    p.placement = Placement::Cloud;
    p.spec = Speculation::Tokens;  // the planner prices the token program
    p.phases = {Phase::EdgePre, Phase::EdgeAnswer, Phase::StopIfConfident, Phase::Tokens};
    p.confidence_threshold = threshold_;
    p.rule = std::make_shared<PerTokenRouting>(token_threshold_, true);
    p.label = in.request.edge_confidence >= threshold_ ? "cascade-tokens:edge" : "cascade-tokens:escalate";
    return p;
  }

 private:
  double threshold_, token_threshold_;
};

const bool registered = register_policy(
    {"cascade-tokens",
     "Edge model first; below a confidence threshold escalate to token-level collaboration (per-token routing)",
     {{"threshold", 0.9, 0, 1, "accept the edge answer at confidence >= this, else escalate"},
      {"token_threshold", 0.8, 0, 1.01, "escalated: keep a token on the edge at confidence >= this, else the cloud produces it"}},
     [](const PolicyParams& p) { return std::make_unique<CascadeTokens>(p); }});

}  // namespace
}  // namespace msao
