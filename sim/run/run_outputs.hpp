// Writing a whole run's results at once (the in-memory path; `msao run`
// streams them instead, sim/metrics/streamed_outputs.hpp):
// DIR/requests.csv, DIR/iterations.csv, DIR/scenario.resolved.yaml and
// DIR/summary.json, into a fresh sibling of DIR swapped in whole at the end
// (sim/metrics/staged_dir.hpp): DIR holds the previous run or the new one,
// never a mix. summary.json is written last: a directory with a
// summary.json holds a complete run.
#pragma once
#include <string>

#include "sim/run/run_scenario.hpp"

namespace msao {

// The text of scenario.resolved.yaml: every key, defaults and overrides applied.
std::string resolved_yaml(const Scenario& sc);
void write_outputs(const std::string& dir, const Scenario& sc, const RunOutput& out);

}  // namespace msao
