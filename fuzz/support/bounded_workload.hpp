// Workload materialisation as `msao run` does it, capped in size: a scenario
// may ask for up to kMaxRequests (10M) requests, which is valid but would
// spend seconds and gigabytes per fuzz input. The cap keeps every code path
// (arrival processes, edge assignment, trace replay) with fewer requests.
#pragma once
#include "sim/scenario/scenario.hpp"

namespace msao::fuzz {

inline constexpr size_t kFuzzMaxRequests = 2000;

void materialize_bounded(const Scenario& sc);

}  // namespace msao::fuzz
