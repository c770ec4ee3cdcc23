// A short simulation of an accepted scenario with the engine's invariants
// checked: at most kFuzzSimRequests requests on at most kFuzzSimEdges
// devices, in a forked child (one SimGrid engine per process). A broken
// invariant, a deadlock or a crash in the child is a finding (abort); bad
// input the run itself finds (its workload check) is the expected answer.
#pragma once
#include "sim/scenario/scenario.hpp"

namespace msao::fuzz {

inline constexpr size_t kFuzzSimRequests = 16;
inline constexpr int kFuzzSimEdges = 64;

void simulate_bounded(Scenario sc);

}  // namespace msao::fuzz
