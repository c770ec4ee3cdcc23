#include "fuzz/support/bounded_simulation.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "sim/util/fork_call.hpp"
#include "sim/run/run_scenario.hpp"

namespace msao::fuzz {

void simulate_bounded(Scenario sc) {
  // Larger fleets are valid but cost seconds per input; their paths are the same.
  if (sc.platform.num_edges() > kFuzzSimEdges) return;
  WorkloadConfig& w = sc.workload;
  w.requests = w.requests == 0 ? kFuzzSimRequests : std::min(w.requests, kFuzzSimRequests);
  sc.check_invariants = true;
  const ForkResult r = fork_call([&sc] {
    RunOptions opt;
    opt.keep_records = false;
    run_scenario(sc, opt);
    return std::string();
  });
  if (r.ok || r.status == 2) return;  // ran with its books kept, or bad input found by the run
  std::fprintf(stderr, "simulation of an accepted scenario failed (exit %d): %s\n", r.status, r.out.c_str());
  std::abort();
}

}  // namespace msao::fuzz
