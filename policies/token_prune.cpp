// token-prune: FastV (Chen et al., "An Image is Worth 1/2 Tokens After
// Layer 2", ECCV 2024): the edge model runs every visual token through the
// first K decoder layers, then keeps only the fraction R of visual tokens
// that receive the most attention and continues with them. The paper's
// default K = 2, R = 50%. Execution stays on the edge.
#include <cmath>

#include "sim/policy/policy.hpp"

namespace msao {
namespace {

class TokenPrune final : public Policy {
 public:
  explicit TokenPrune(const PolicyParams& p)
      : keep_(p.at("keep")), layer_(static_cast<int>(std::lround(p.at("layer")))) {}
  Plan decide(const PolicyInput&) override {
    Plan p;
    p.placement = Placement::Edge;
    p.token_keep = keep_;
    p.prune_layer = layer_;
    p.label = "edge:fastv";
    return p;
  }

 private:
  double keep_;
  int layer_;
};

const bool registered = register_policy(
    {"token-prune", "FastV: edge model prunes visual tokens after an early decoder layer (Chen et al. 2024)",
     {{"keep", 0.5, 0.01, 1, "fraction of visual tokens kept after the pruning layer (FastV R)"},
      {"layer", 2, 0, 64, "decoder layer after which tokens are pruned (FastV K)", ParamKind::Integer}},
     [](const PolicyParams& p) { return std::make_unique<TokenPrune>(p); }});

}  // namespace
}  // namespace msao
