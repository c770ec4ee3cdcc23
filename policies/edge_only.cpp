// edge-only: every request is answered by the edge (small) model on the edge
// device; nothing is sent. The MSAO paper's "edge-only" baseline (Qwen2-VL-2B
// on the edge; arXiv 2604.02945, "Baselines").
#include "sim/policy/policy.hpp"

namespace msao {
namespace {

class EdgeOnly final : public Policy {
 public:
  Plan decide(const PolicyInput&) override {
    Plan p;
    p.placement = Placement::Edge;
    p.label = "edge";
    return p;
  }
};

const bool registered = register_policy({"edge-only", "Answer every request with the edge model on the edge device", {},
                                         [](const PolicyParams&) { return std::make_unique<EdgeOnly>(); }});

}  // namespace
}  // namespace msao
