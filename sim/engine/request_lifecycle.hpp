// One request's lifecycle on SimGrid, run in the calling actor: observe,
// plan, the edge pre-work on the FIFO accelerator, then the plan's mode
// (edge answer, offload, race, cascade or draft-verify rounds), with every
// timestamp, byte and device second recorded in its RequestRecord.
#pragma once
#include "sim/engine/world.hpp"

namespace msao {

void run_request(World& w, const Request& req, RequestRecord& rec);

}  // namespace msao
