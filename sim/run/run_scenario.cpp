#include "sim/run/run_scenario.hpp"

#include <chrono>
#include <unordered_map>

#include "sim/cost/hardware.hpp"
#include "sim/cost/model_spec.hpp"
#include "sim/engine/closed_loop.hpp"
#include "sim/run/check_workload.hpp"
#include "sim/run/cloud_cost.hpp"
#include "sim/run/cloud_pools_setup.hpp"
#include "workloads/workload_config.hpp"

namespace msao {

RunOutput run_scenario(const Scenario& sc, const RunOptions& opt) {
  const auto wall0 = std::chrono::steady_clock::now();
  cost::ModelSpec edge_model = cost::load_model(sc.edge_model), cloud_model = cost::load_model(sc.cloud_model);
  cost::CostModel cloud(cloud_model, sc.cloud_hardware, sc.cloud_profile, sc.cloud_parallel);
  cloud.set_host_dispatch(sc.serving.host);
  cloud.check_fits(cloud_model.max_context);
  std::vector<Planner> planners;  // one per edge group (its hardware)
  std::vector<int> group_of_edge;
  for (size_t g = 0; g < sc.edge_hardware.size(); ++g) {
    const cost::Hardware& hw = sc.edge_hardware[g];
    cost::CostModel edge(edge_model, hw, sc.edge_profile), cloud_on_edge(cloud_model, hw, sc.edge_profile);
    edge.set_host_dispatch(sc.serving.host);
    cloud_on_edge.set_host_dispatch(sc.serving.host);
    edge.check_fits(edge_model.max_context);
    planners.emplace_back(edge, cloud, cloud_on_edge, sc.protocol);
    planners.back().max_batch = sc.cloud_max_batch;
    // With faults, every cloud plan carries the edge's own answer to fall back on.
    const FaultSpec& f = sc.platform.faults;
    planners.back().plan_fallback = f.access_outage.on() || f.wan_outage.on() || f.gpu_mtbf_s > 0 || f.timeout_s > 0;
    group_of_edge.insert(group_of_edge.end(), sc.platform.edge_groups[g].count, static_cast<int>(g));
  }

  const PolicyInfo* info = find_policy(sc.policy);
  std::unique_ptr<Policy> policy = info->make(sc.policy_params);

  SimSetup setup;
  setup.platform = sc.platform;
  pool_gpu_watts(sc, setup.platform.cloud);
  // The cloud serves any request; the edge model too unless every request is offloaded.
  WorkloadFit fit{sc.workload, sc.source_file, {&cloud}};
  if (sc.policy != "cloud-only") fit.models.push_back(&planners.front().edge());
  // Every request is checked in a pass of its own before the run (bad
  // input stops before any simulation), then made again as the run asks.
  const int edges = sc.platform.num_edges();
  const std::unique_ptr<RequestSource> checked = open_workload(sc.workload, sc.seed, edges);
  long long dropped = 0;
  if (sc.workload.arrival.type == ArrivalType::Closed) {
    // Its users start on the edges its requests name, which the checking pass notes.
    EdgeCensus census(*checked, static_cast<size_t>(edges));
    dropped = check_workload_fits(census, fit);
    if (!census.error().empty()) throw std::runtime_error(census.error());
    setup.edges_with_requests = census.take();
  } else {
    dropped = check_workload_fits(*checked, fit);
  }
  setup.source = fitted_source(open_workload(sc.workload, sc.seed, edges), fit);
  setup.cloud_cost = make_cloud_cost(cloud, sc.cloud_mem_utilization, sc.cloud_max_batch, sc.cloud_token_budget);
  setup.cloud_cost.kv_on_demand = sc.cloud_kv_on_demand;
  // Each edge keeps its conversations' KV in what its memory leaves beside the model's weights.
  // (platform.edges[].keep_context: false keeps none.)
  for (int g : group_of_edge) {
    const cost::CostModel& m = planners[g].edge();
    const bool keep = sc.platform.edge_groups[g].keep_context;
    setup.edge_kv_tokens.push_back(keep ? static_cast<long long>(std::max(0.0, m.hardware().mem_bytes - m.weight_bytes()) /
                                                                  std::max(1.0, m.kv_bytes_per_token()))
                                        : 0);
  }
  setup.cloud_cost.prefix_block_tokens = sc.cloud_prefix_caching ? sc.serving.kv_block_tokens : 0;
  setup.cloud_cost.encoder_cache_tokens = sc.cloud_encoder_cache_tokens;
  setup.cloud_cost.runtime_mem_bytes = sc.serving.runtime_mem_bytes;
  setup.cloud_pools = cloud_pools(sc, cloud, setup.cloud_cost);
  setup.horizon_s = sc.horizon_s;
  setup.dispatcher = sc.cloud_dispatcher;
  setup.bw_ewma_alpha = sc.bw_ewma_alpha;
  setup.check_invariants = sc.check_invariants;
  setup.max_live_requests = sc.max_in_flight;
  setup.timeline_path = opt.timeline_path;
  if (sc.workload.arrival.type == ArrivalType::Closed) {
    setup.users_per_edge = sc.workload.arrival.users_per_edge;
    setup.make_think = [&sc](int edge, int user) {
      auto sampler = std::make_shared<ThinkTimeSampler>(sc.workload.arrival, sc.seed, edge, user);
      return std::function<double()>([sampler] { return sampler->next(); });
    };
  }
  std::unordered_map<uint64_t, Plan> pending;  // plans awaiting their outcome, for learning policies
  setup.planner = [&](const Request& r, const Observation& o) {
    const Planner& pl = planners[group_of_edge[r.edge]];
    if (opt.on_observe) opt.on_observe(r, o);
    std::optional<ExecPlan> planned;
    Plan p = policy->decide(PolicyInput{r, o, pl, &planned});
    ExecPlan e = planned ? std::move(*planned) : pl.plan(r, p);
    if (opt.on_plan) opt.on_plan(r, e);
    pending.emplace(r.id, std::move(p));
    return e;
  };
  const size_t total = setup.source->size();
  size_t finished = 0;
  setup.on_complete = [&](const Request& r, const RequestRecord& rec) {
    if (opt.on_progress) opt.on_progress(++finished, total);
    auto it = pending.find(r.id);
    if (it == pending.end()) return;
    policy->observe(r, it->second, rec);
    pending.erase(it);
  };
  SummaryAccumulator acc(sc.slo_s, sc.serving.runtime_mem_bytes);
  setup.on_record = [&](const RequestRecord& rec) {
    acc.add(rec);
    if (opt.on_record) opt.on_record(rec);
  };
  setup.on_iteration = [&](int replica, const IterationRecord& it) {
    acc.add(replica, it);
    if (opt.on_iteration) opt.on_iteration(replica, it);
  };
  setup.keep_records = opt.keep_records;
  RunOutput out;
  out.sim = run_simulation(std::move(setup));
  out.summary = acc.finish(out.sim);
  out.summary.dropped_inputs = dropped;
  out.summary.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return out;
}

}  // namespace msao
