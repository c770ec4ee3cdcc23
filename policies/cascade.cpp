// cascade: run the edge model first; escalate the request to the cloud
// model (raw inputs uploaded) only when the edge answer's confidence is
// below a threshold. Hybrid-LLM-style quality-aware routing (Ding et al.,
// "Hybrid LLM: Cost-Efficient and Quality-Aware Query Routing", ICLR 2024),
// with the edge model's own confidence as the router's score.
#include "sim/policy/policy.hpp"

namespace msao {
namespace {

class Cascade final : public Policy {
 public:
  explicit Cascade(const PolicyParams& p) : threshold_(p.at("threshold")) {}
  Plan decide(const PolicyInput& in) override {
    Plan p;
    p.placement = Placement::Cloud;
    p.spec = Speculation::Cascade;
    p.confidence_threshold = threshold_;
    p.label = in.request.edge_confidence >= threshold_ ? "cascade:edge" : "cascade:escalate";
    return p;
  }

 private:
  double threshold_;
};

const bool registered = register_policy(
    {"cascade",
     "Edge model first; escalate to the cloud when its confidence is below a threshold (Hybrid-LLM-style)",
     {{"threshold", 0.9, 0, 1, "accept the edge answer at confidence >= this; lower keeps more on the edge"}},
     [](const PolicyParams& p) { return std::make_unique<Cascade>(p); }});

}  // namespace
}  // namespace msao
