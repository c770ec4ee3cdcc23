#include "fuzz/support/bounded_workload.hpp"

#include <algorithm>

namespace msao::fuzz {

void materialize_bounded(const Scenario& sc) {
  WorkloadConfig w = sc.workload;
  w.requests = w.requests == 0 ? kFuzzMaxRequests : std::min(w.requests, kFuzzMaxRequests);
  (void)materialize_workload(w, sc.seed, sc.platform.num_edges());
}

}  // namespace msao::fuzz
