// run_scenario: everything `msao run` does for one scenario in this process:
// cost models from the catalogs (and memory-fit checks), the workload, the
// policy, the SimGrid simulation, and the summary. Output writing is
// separate (sim/metrics/outputs) so a caller can run without writing.
#pragma once
#include <functional>
#include <string>

#include "sim/engine/simulation.hpp"
#include "sim/metrics/summary.hpp"
#include "sim/scenario/scenario.hpp"

namespace msao {

struct RunOutput {
  SimResult sim;
  Summary summary;
};

struct RunOptions {
  std::string timeline_path;  // empty: no timeline
  // Sees every ExecPlan the engine is handed, in the order it is handed
  // them (tools that replay a run's activities: bench/bench_scale).
  std::function<void(const Request&, const ExecPlan&)> on_plan;
  // Sees what the device observed when it decided each request (tests).
  std::function<void(const Request&, const Observation&)> on_observe;
  // Called as each request finishes, with how many have and how many the
  // workload holds (`msao run`'s progress bar).
  std::function<void(size_t done, size_t total)> on_progress;
};

RunOutput run_scenario(const Scenario& sc, const RunOptions& opt = {});

}  // namespace msao
