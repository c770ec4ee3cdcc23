// platform.cloud.pools and platform.cloud.interconnect: a disaggregated
// cloud as the scenario describes it (sim/engine/cloud_pools.hpp runs it).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/yaml_section.hpp"
#include "sim/cost/hardware.hpp"
#include "sim/cost/operators.hpp"
#include "sim/engine/platform_spec.hpp"

namespace msao {

// One pool: the stages it serves (CloudStage bits), its GPUs and, where
// given, its own batching (0 or empty: the cloud's) and, for a pool that
// runs no encoder, its own hardware and tensor parallelism (the planner
// prices the cloud-side encoders on the cloud's).
struct CloudPoolConfig {
  std::string name;
  unsigned stages = 0;
  int gpus = 1;
  int max_batch = 0;
  int token_budget = -1;  // chunked_prefill_tokens (-1: the cloud's)
  std::string dispatcher;
  std::optional<cost::Hardware> hardware;  // none: the cloud's
  cost::Parallelism parallel;              // the cloud's unless tensor_parallel is given
  int line = 0;                            // of the pool in the scenario (for later checks)
};
using LoadHardware = std::function<cost::Hardware(YamlSection& section, const std::string& key)>;

// The pools, in order (empty when platform.cloud.pools is absent), checked:
// every stage served by exactly one pool, encode only with prefill or
// alone, decode only with prefill or alone, at least two pools, GPUs
// adding up to platform.cloud.gpus, each pool a whole number of its
// replicas, tensor parallelism only over hardware with an interconnect.
// Throws InputError naming the key.
// `parallel`: the cloud's; `load`: reads a hardware key.
std::vector<CloudPoolConfig> parse_cloud_pools(YamlSection& cloud, int cloud_gpus, const cost::Parallelism& parallel,
                                               const cost::Hardware& hardware, const std::vector<std::string>& dispatchers,
                                               const LoadHardware& load);

// platform.cloud.interconnect: each GPU's link into the data centre's
// fabric ({bandwidth, latency}: GPU to GPU is one such hop). Required with
// pools, refused without.
LinkSpec parse_interconnect(YamlSection& cloud, bool pools);

}  // namespace msao
