#include "sim/run/run_to_dir.hpp"

#include <algorithm>

#include "sim/metrics/outputs.hpp"
#include "sim/run/cloud_pools_setup.hpp"
#include "sim/run/run_outputs.hpp"
#include "sim/metrics/streamed_outputs.hpp"

namespace msao {

RunOutput run_to_dir(const std::string& dir, const Scenario& sc, RunOptions opt) {
  StreamedOutputs files(dir, replica_gpus_of(sc));
  opt.keep_records = false;
  opt.on_record = [&files, then = opt.on_record](const RequestRecord& r) {
    files.request(r);
    if (then) then(r);
  };
  opt.on_iteration = [&files, then = opt.on_iteration](int replica, const IterationRecord& it) {
    files.iteration(replica, it);
    if (then) then(replica, it);
  };
  RunOutput out = run_scenario(sc, opt);
  files.finish(resolved_yaml(sc), summary_json(out.summary));
  return out;
}

}  // namespace msao
