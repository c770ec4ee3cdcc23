#include "sim/run/cloud_pools_setup.hpp"

namespace msao {

CloudPoolsSpec cloud_pools(const Scenario& sc, const cost::CostModel& cloud, const CloudCost& monolithic) {
  CloudPoolsSpec out;
  if (sc.cloud_pools.empty()) return out;
  // The encoders' output is the decoder's input: one hidden-size vector of
  // 16-bit values per position.
  out.embedding_bytes_per_token = cloud.model().decoder.hidden * cost::kActivationBytes;
  for (const CloudPoolConfig& c : sc.cloud_pools) {
    CloudPoolSpec p;
    p.name = c.name;
    p.stages = c.stages;
    p.gpus = c.gpus;
    p.replica_gpus = sc.cloud_parallel.gpus();
    p.dispatcher = c.dispatcher.empty() ? sc.cloud_dispatcher : c.dispatcher;
    p.cost = monolithic;
    if (c.max_batch > 0) p.cost.max_batch = sc.serving.continuous_batching ? c.max_batch : 1;
    if (c.token_budget >= 0) p.cost.token_budget = c.token_budget;
    const bool prefills = c.stages & stage_bit(CloudStage::Prefill);
    if (!prefills) p.cost.prefix_block_tokens = 0;  // no prompt is prefilled here
    if (!(c.stages & stage_bit(CloudStage::Encode))) p.cost.encoder_cache_tokens = 0;
    if (c.stages == stage_bit(CloudStage::Encode)) {
      // An encode-only GPU holds the encoders' weights, no decoder and no KV
      // (EPD's point: its memory goes to larger encoder batches).
      p.cost.static_mem_bytes = cloud.encoder_weight_bytes();
      p.cost.kv_capacity_bytes =
          sc.cloud_mem_utilization * cloud.hardware().mem_bytes * cloud.parallelism().gpus() - p.cost.static_mem_bytes;
      p.cost.activation_bytes = nullptr;
    }
    out.pools.push_back(std::move(p));
  }
  return out;
}

}  // namespace msao
