// The token-level session: runs an ExecPlan of mode Tokens in the request's
// own actor, phase by phase, asking the plan's TokenRule at every round
// boundary and costing every phase with its TokenCosts.
#pragma once
#include "sim/engine/world.hpp"

namespace msao {

// Entered after the edge pre-work, holding the edge accelerator or not
// (after an edge answer, say); ends the request (complete()).
void run_token_session(World& w, const Request& req, RequestRecord& rec, const ExecPlan& p, bool holds_accel);

}  // namespace msao
