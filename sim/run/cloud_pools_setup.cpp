#include "sim/run/cloud_pools_setup.hpp"

#include "sim/run/cloud_cost.hpp"

namespace msao {

namespace {
bool own_platform(const Scenario& sc, const CloudPoolConfig& c) {
  return c.hardware.has_value() || c.parallel.tp != sc.cloud_parallel.tp;
}
}  // namespace

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
    p.replica_gpus = c.parallel.gpus();
    p.dispatcher = c.dispatcher.empty() ? sc.cloud_dispatcher : c.dispatcher;
    p.cost = monolithic;
    if (own_platform(sc, c)) {
      // The same model on this pool's GPUs (a measured profile is the cloud hardware's, used only there).
      cost::CostModel m(cloud.model(), c.hardware ? *c.hardware : sc.cloud_hardware,
                        c.hardware ? std::nullopt : sc.cloud_profile, c.parallel);
      m.set_host_dispatch(sc.serving.host);
      const CloudCost own = make_cloud_cost(m, sc.cloud_mem_utilization, monolithic.max_batch, monolithic.token_budget);
      p.cost.iteration = own.iteration;
      p.cost.kv_capacity_bytes = own.kv_capacity_bytes;
      p.cost.static_mem_bytes = own.static_mem_bytes;
      p.cost.activation_bytes = own.activation_bytes;
    }
    if (c.max_batch > 0) p.cost.max_batch = sc.serving.continuous_batching ? c.max_batch : 1;
    if (c.token_budget >= 0) p.cost.token_budget = c.token_budget;
    if (!(c.stages & stage_bit(CloudStage::Prefill))) p.cost.prefix_block_tokens = 0;  // no prompt is prefilled here
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

void pool_gpu_watts(const Scenario& sc, CloudSpec& cloud) {
  bool any = false;
  for (const CloudPoolConfig& c : sc.cloud_pools) any = any || c.hardware.has_value();
  if (!any) return;
  cloud.gpu_idle_w.clear();
  cloud.gpu_busy_w.clear();
  for (const CloudPoolConfig& c : sc.cloud_pools) {
    const cost::Hardware& hw = c.hardware ? *c.hardware : sc.cloud_hardware;
    cloud.gpu_idle_w.insert(cloud.gpu_idle_w.end(), c.gpus, hw.idle_w);
    cloud.gpu_busy_w.insert(cloud.gpu_busy_w.end(), c.gpus, hw.busy_w);
  }
}

ReplicaGpus replica_gpus_of(const Scenario& sc) {
  const int per = sc.cloud_parallel.gpus();
  bool uniform = true;
  for (const CloudPoolConfig& c : sc.cloud_pools) uniform = uniform && c.parallel.gpus() == per;
  if (uniform) return ReplicaGpus(per);
  std::vector<int> sizes;
  for (const CloudPoolConfig& c : sc.cloud_pools) sizes.insert(sizes.end(), c.gpus / c.parallel.gpus(), c.parallel.gpus());
  return ReplicaGpus(sizes);
}

}  // namespace msao
