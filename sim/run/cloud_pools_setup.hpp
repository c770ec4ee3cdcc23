// A scenario's disaggregated cloud as the engine runs it: each pool's
// replica costs, from the cloud's model on the pool's hardware and
// parallelism (the cloud's unless the pool names its own), with the pool's
// own batching and what its stages need; each GPU's power; and the GPUs of
// every replica, for iterations.csv.
#pragma once
#include "sim/cost/cost_model.hpp"
#include "sim/engine/cloud_pools.hpp"
#include "sim/metrics/iterations_csv.hpp"
#include "sim/scenario/scenario.hpp"

namespace msao {

// Empty when the scenario's cloud has no pools. `cloud`: the cloud's cost
// model; `monolithic`: its replica costs, as the run configured them.
CloudPoolsSpec cloud_pools(const Scenario& sc, const cost::CostModel& cloud, const CloudCost& monolithic);

// Each cloud GPU's idle and busy watts, when pools differ in hardware
// (else it leaves `cloud` as it is).
void pool_gpu_watts(const Scenario& sc, CloudSpec& cloud);

// The GPUs of each replica, in the engine's order (pool after pool).
ReplicaGpus replica_gpus_of(const Scenario& sc);

}  // namespace msao
