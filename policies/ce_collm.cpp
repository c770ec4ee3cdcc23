// ce-collm: cloud-edge collaboration with early exit on the edge (Jin and
// Wu, "CE-CoLLM: Efficient and Adaptive Large Language Models Through
// Cloud-Edge Collaboration", ICWS 2025). The edge generates token by token
// and emits a token locally when its confidence is at least `threshold`;
// a low-confidence token is offloaded and the cloud model produces it. The
// context is uploaded to the cloud at once, in parallel with local
// generation ("parallel context upload"), so an offloaded token finds the
// context already prefilled. Here the edge's early-exit head is the edge
// model itself (the simulator's edge and cloud models differ), and the
// offloaded token costs a one-token pass on the cloud's cached context.
#include "sim/policy/token_routing_rule.hpp"

namespace msao {
namespace {

const bool registered = register_policy(
    {"ce-collm", "Edge emits confident tokens; low-confidence tokens go to the cloud, context uploaded in parallel (CE-CoLLM)",
     {{"threshold", 0.8, 0, 1.01, "emit a token on the edge at confidence >= this, else the cloud produces it"}},
     [](const PolicyParams& p) { return std::make_unique<PerTokenRoutingPolicy>(p, true, "ce-collm"); }});

}  // namespace
}  // namespace msao
