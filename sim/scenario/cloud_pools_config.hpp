// platform.cloud.pools and platform.cloud.interconnect: a disaggregated
// cloud as the scenario describes it (sim/engine/cloud_pools.hpp runs it).
#pragma once
#include <string>
#include <vector>

#include "sim/config/yaml_section.hpp"
#include "sim/engine/platform_spec.hpp"

namespace msao {

// One pool: the stages it serves (CloudStage bits), its GPUs and, where
// given, its own batching (0 or empty: the cloud's).
struct CloudPoolConfig {
  std::string name;
  unsigned stages = 0;
  int gpus = 1;
  int max_batch = 0;
  int token_budget = -1;  // chunked_prefill_tokens (-1: the cloud's)
  std::string dispatcher;
};

// The pools, in order (empty when platform.cloud.pools is absent), checked:
// every stage served by exactly one pool, encode only with prefill or
// alone, decode only with prefill or alone, at least two pools, GPUs
// adding up to platform.cloud.gpus, each pool a whole number of
// `replica_gpus`-GPU replicas. Throws InputError naming the key.
std::vector<CloudPoolConfig> parse_cloud_pools(YamlSection& cloud, int cloud_gpus, int replica_gpus,
                                               const std::vector<std::string>& dispatchers);

// platform.cloud.interconnect: each GPU's link into the data centre's
// fabric ({bandwidth, latency}: GPU to GPU is one such hop). Required with
// pools, refused without.
LinkSpec parse_interconnect(YamlSection& cloud, bool pools);

}  // namespace msao
