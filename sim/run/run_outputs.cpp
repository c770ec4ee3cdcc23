#include "sim/run/run_outputs.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "sim/metrics/atomic_file.hpp"
#include "sim/metrics/iterations_csv.hpp"
#include "sim/metrics/outputs.hpp"

namespace msao {

std::string resolved_yaml(const Scenario& sc) {
  YAML::Emitter em;
  em.SetDoublePrecision(15);
  em << sc.resolved;
  return std::string(em.c_str()) + "\n";
}

void write_outputs(const std::string& dir, const Scenario& sc, const RunOutput& out) {
  create_output_dir(dir);
  // A rerun into the same directory first removes the completeness marker.
  std::filesystem::remove(dir + "/summary.json");
  write_file_atomic(dir + "/requests.csv", requests_csv(out.sim.records));
  write_file_atomic(dir + "/iterations.csv", iterations_csv(out.sim.cloud_iteration_log, out.sim.cloud_replica_gpus));
  write_file_atomic(dir + "/scenario.resolved.yaml", resolved_yaml(sc));
  write_file_atomic(dir + "/summary.json", summary_json(out.summary));
}

}  // namespace msao
