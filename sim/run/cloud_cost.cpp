#include "sim/run/cloud_cost.hpp"

#include <memory>

namespace msao {

CloudCost make_cloud_cost(const cost::CostModel& m, double mem_utilization, int max_batch, int token_budget) {
  CloudCost c;
  // Shared copy: the server outlives the caller's model.
  auto model = std::make_shared<cost::CostModel>(m);
  c.iteration = [model](const std::vector<cost::PrefillChunk>& pre, const std::vector<int>& ctx) {
    const cost::IterationTotals it = model->batch_iteration_totals(pre, ctx);
    // The cost model's FLOPs and bytes are one tensor-parallel rank's over
    // all pipeline stages: the replica does tp times them on tp x pp GPUs.
    const cost::Parallelism& par = model->parallelism();
    const cost::Hardware& hw = model->hardware();
    const double busy = it.seconds * par.pp;
    return IterationCost{it.seconds, it.flops * par.tp, busy > 0 ? it.flops / (busy * hw.flops) : 0,
                         busy > 0 ? it.bytes / (busy * hw.mem_bw) : 0};
  };
  c.kv_bytes_per_token = m.kv_bytes_per_token();
  c.static_mem_bytes = m.weight_bytes();
  c.activation_bytes = [model](int tokens, int sequences) { return model->forward_activation_bytes(tokens, sequences); };
  c.kv_capacity_bytes = mem_utilization * m.hardware().mem_bytes * m.parallelism().gpus() - m.weight_bytes();
  c.max_batch = max_batch;
  c.token_budget = token_budget;
  c.schedules_ahead = m.host_dispatch().overlapped;
  return c;
}

}  // namespace msao
