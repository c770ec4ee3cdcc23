// make_cloud_cost: what a cloud GPU's batching server needs from the cost
// model of the cloud model on that GPU (iteration time and FLOPs of any
// batch, KV bytes per token, the KV budget).
#pragma once
#include "sim/cost/cost_model.hpp"
#include "sim/engine/cloud_server.hpp"

namespace msao {

// mem_utilization: the fraction of device memory the server may use for
// weights + KV cache (vLLM's gpu_memory_utilization, default 0.9);
// token_budget: chunked prefill's tokens per iteration (0: off).
CloudCost make_cloud_cost(const cost::CostModel& m, double mem_utilization, int max_batch, int token_budget = 0);

}  // namespace msao
