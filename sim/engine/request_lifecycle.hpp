// One request's lifecycle on SimGrid, run in the calling actor: observe,
// plan, then the plan's phases (sim/engine/phase.hpp) in order, with every
// timestamp, byte and device second recorded in its RequestRecord.
#pragma once
#include "sim/engine/world.hpp"

namespace msao {

void run_request(World& w, const Request& req, RequestRecord& rec);

}  // namespace msao
