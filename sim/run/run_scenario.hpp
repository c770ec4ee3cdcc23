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
  // Results as the run produces them (SimSetup's sinks): records in request
  // order, cloud iterations with their replica. keep_records also keeps
  // them in RunOutput::sim (tests, the Python API, compare's in-memory
  // callers); `msao run` streams them to its files instead.
  std::function<void(const RequestRecord&)> on_record;
  std::function<void(int replica, const IterationRecord&)> on_iteration;
  bool keep_records = true;
};

RunOutput run_scenario(const Scenario& sc, const RunOptions& opt = {});

}  // namespace msao
