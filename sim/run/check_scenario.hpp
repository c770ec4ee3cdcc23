// check_scenario: what run_scenario checks before it simulates (model
// catalogs, memory fit on every device, the workload, trace files
// included), done without simulating, for `msao check`.
#pragma once
#include <cstddef>

#include "sim/scenario/scenario.hpp"

namespace msao {

// Throws InputError on bad input; returns the number of requests the
// workload holds (closed-loop: those of the first round).
size_t check_scenario(const Scenario& sc);

}  // namespace msao
