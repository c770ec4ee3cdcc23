// compare_policies: one scenario run once per policy on the identical
// workload (same seed), each in its own forked process, `jobs` at a time.
// Shared by `msao compare` and the Python package's msao.compare(), so the
// printed table, compare.csv and the DataFrame hold the same numbers.
#pragma once
#include <string>
#include <vector>

#include "sim/metrics/summary.hpp"

namespace msao {

struct PolicyOutcome {
  std::string policy;
  bool ok = false;
  int status = 0;      // the child's exit status (kInputErrorExit for bad input)
  std::string error;   // the child's message when !ok
  Summary summary;     // when ok
};

struct CompareRequest {
  std::string scenario;
  std::vector<std::string> policies;  // empty: every registered policy
  std::vector<std::string> sets;      // --set overrides, applied before policy.type
  int jobs = 0;                       // < 1: one per core
  std::string out;                    // non-empty: OUT/<policy>/ gets each run's outputs
};

// Validates the scenario (and OUT) before forking: InputError on bad input.
// Outcomes are in policy order.
std::vector<PolicyOutcome> compare_policies(const CompareRequest& req);

// The comparison table as CSV (one row per successful policy, exact numbers):
// what `msao compare --out` writes as compare.csv and msao.compare() returns.
std::string compare_csv(const std::vector<PolicyOutcome>& outcomes);

}  // namespace msao
