// Scenario: one simulation's whole configuration, read from a YAML file with
// separate sections (platform, model, workload, policy, run), with
// `--set key=value` overrides applied to the YAML tree before it is read.
// Every value is validated where it is read; the resolved tree (defaults and
// overrides included) is kept to be written beside the results.
#pragma once
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "sim/cost/hardware.hpp"
#include "sim/cost/operators.hpp"
#include "sim/cost/serving.hpp"
#include "sim/engine/platform_spec.hpp"
#include "sim/scenario/cloud_pools_config.hpp"
#include "sim/policy/planner.hpp"
#include "sim/policy/policy.hpp"
#include "workloads/workload_config.hpp"

namespace msao {

struct Scenario {
  std::string source_file;  // the scenario YAML it was read from
  PlatformSpec platform;
  std::vector<cost::Hardware> edge_hardware;  // per edge group, as loaded from its catalog entry or file
  cost::Hardware cloud_hardware;
  cost::Parallelism cloud_parallel;  // a replica: tensor_parallel x pipeline_parallel GPUs
  int cloud_max_batch = 256;
  int cloud_token_budget = 0;  // chunked prefill: tokens per iteration (0: off)
  bool cloud_kv_on_demand = false;  // KV grows per token with recompute preemption (else reserved on admission)
  // Prefix caching and the encoder cache on the cloud: the serving
  // profile's unless platform.cloud.prefix_caching / encoder_cache_tokens say otherwise.
  bool cloud_prefix_caching = false;
  int cloud_encoder_cache_tokens = 0;
  std::string cloud_dispatcher = "least-loaded";
  // platform.cloud.pools: a disaggregated cloud (empty: monolithic); its
  // interconnect is platform.cloud.interconnect (PlatformSpec::cloud).
  std::vector<CloudPoolConfig> cloud_pools;
  double cloud_mem_utilization = 0.9;  // vLLM's gpu_memory_utilization default
  // platform.serving: the serving stack on both sides (platforms/serving/);
  // vllm when not given. Without continuous batching the cloud serves one
  // request at a time (cloud_max_batch is 1).
  cost::ServingProfile serving;
  Protocol protocol;
  std::string edge_model, cloud_model;
  std::optional<std::string> edge_profile, cloud_profile;
  WorkloadConfig workload;
  std::string policy;
  PolicyParams policy_params;
  uint64_t seed = 1;
  double horizon_s = 0;
  double slo_s = 1.0;
  double bw_ewma_alpha = 0.3;
  bool check_invariants = true;  // run.check_invariants: the engine checks its books (sim/engine/invariants.hpp)
  size_t max_in_flight = 1024;  // run.max_in_flight: open-loop requests running at once (SimSetup::max_live_requests)
  YAML::Node resolved;
};

// Loads and validates; throws InputError (exit 2) on any problem, including
// more than kMaxClosedLoopUsers closed-loop users over all edges and
// a cloud memory budget too small for the cloud model (check made here, so
// sweeps and tunes stop before forking).
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

}  // namespace msao
