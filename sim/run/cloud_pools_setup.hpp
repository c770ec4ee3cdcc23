// A scenario's disaggregated cloud as the engine runs it: each pool's
// replica costs, derived from the monolithic cloud's (same model, hardware
// and parallelism), with the pool's own batching and what its stages need.
#pragma once
#include "sim/cost/cost_model.hpp"
#include "sim/engine/cloud_pools.hpp"
#include "sim/scenario/scenario.hpp"

namespace msao {

// Empty when the scenario's cloud has no pools.
CloudPoolsSpec cloud_pools(const Scenario& sc, const cost::CostModel& cloud, const CloudCost& monolithic);

}  // namespace msao
