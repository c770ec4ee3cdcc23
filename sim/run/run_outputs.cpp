#include "sim/run/run_outputs.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "sim/util/atomic_file.hpp"
#include "sim/metrics/iterations_csv.hpp"
#include "sim/metrics/outputs.hpp"
#include "sim/metrics/staged_dir.hpp"
#include "sim/run/cloud_pools_setup.hpp"

namespace msao {

std::string resolved_yaml(const Scenario& sc) {
  YAML::Emitter em;
  em.SetDoublePrecision(15);
  em << sc.resolved;
  return std::string(em.c_str()) + "\n";
}

void write_outputs(const std::string& dir, const Scenario& sc, const RunOutput& out) {
  // Into a fresh sibling swapped in at the end: DIR holds the whole previous run or the whole new one.
  StagedDir stage(dir, run_output_files());
  const std::string& d = stage.path();
  write_file_atomic(d + "/requests.csv", requests_csv(out.sim.records));
  write_file_atomic(d + "/iterations.csv", iterations_csv(out.sim.cloud_iteration_log, replica_gpus_of(sc)));
  write_file_atomic(d + "/scenario.resolved.yaml", resolved_yaml(sc));
  write_file_atomic(d + "/summary.json", summary_json(out.summary));
  stage.commit();
}

}  // namespace msao
