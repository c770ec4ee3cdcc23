#include "sim/run/check_scenario.hpp"

#include "sim/cost/cost_model.hpp"
#include "sim/cost/model_spec.hpp"
#include "workloads/workload_config.hpp"

namespace msao {

size_t check_scenario(const Scenario& sc) {
  const cost::ModelSpec edge_model = cost::load_model(sc.edge_model), cloud_model = cost::load_model(sc.cloud_model);
  // As run_scenario: a replica of tensor x pipeline parallel GPUs holds the model.
  cost::CostModel(cloud_model, sc.cloud_hardware, sc.cloud_profile, sc.cloud_parallel)
      .check_fits(cloud_model.max_context);
  for (const cost::Hardware& hw : sc.edge_hardware)
    cost::CostModel(edge_model, hw, sc.edge_profile).check_fits(edge_model.max_context);
  // Every request made once (a replayed trace's edges checked), none kept.
  const auto source = open_workload(sc.workload, sc.seed, sc.platform.num_edges());
  size_t n = 0;
  for (Request r; source->next(r);) ++n;
  return n;
}

}  // namespace msao
