// cloud-only: every request's raw inputs are uploaded and the cloud (full)
// model answers. The MSAO paper's "cloud-only" baseline ("all inputs
// uploaded, 7B model in the cloud"; arXiv 2604.02945).
#include "sim/policy/policy.hpp"

namespace msao {
namespace {

class CloudOnly final : public Policy {
 public:
  Plan decide(const PolicyInput&) override {
    Plan p;
    p.placement = Placement::Cloud;
    p.label = "cloud";
    return p;
  }
};

const bool registered = register_policy({"cloud-only", "Upload raw inputs; the cloud model answers every request", {},
                                         [](const PolicyParams&) { return std::make_unique<CloudOnly>(); }});

}  // namespace
}  // namespace msao
