// Workload materialisation as `msao run` does it, capped in size: a scenario
// may ask for up to kMaxRequests (10M) requests, which is valid but would
// spend seconds and gigabytes per fuzz input. The cap keeps every code path
// (arrival processes, edge assignment, trace replay) with fewer requests.
// 256, not more: materialising 2000 was 43% of an execution, and the
// trace formats have harnesses of their own (mas_trace, serving_trace).
#pragma once
#include "sim/scenario/scenario.hpp"

namespace msao::fuzz {

inline constexpr size_t kFuzzMaxRequests = 256;

void materialize_bounded(const Scenario& sc);

}  // namespace msao::fuzz
