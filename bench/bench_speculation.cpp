// Speculation benchmark (not a test): wall time of N requests whose cloud
// branch is raced by a confident edge answer and cancelled (mid-upload for
// half, mid-serving for the other half), and of the msao policy on the
// paper's setting, at several N. Linear scaling shows as a constant
// us/request counter. Each simulation runs in its own forked process.
//
//   build/bench_speculation
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "sim/engine/simulation.hpp"
#include "sim/run/fork_call.hpp"
#include "sim/run/run_scenario.hpp"

using namespace msao;

namespace {

PlatformSpec one_edge(double bw_Bps, double one_way_s) {
  PlatformSpec p;
  EdgeGroupSpec g;
  g.name = "edge";
  g.count = 1;
  g.uplink.bandwidth_Bps = bw_Bps;
  g.uplink.latency_s = one_way_s;
  g.downlink = g.uplink;
  p.edge_groups.push_back(g);
  p.cloud.gpus = 1;
  p.cloud.wan_in.bandwidth_Bps = p.cloud.wan_out.bandwidth_Bps = 1e15;
  return p;
}

CloudCost linear_cost() {
  CloudCost c;
  c.iteration_s = [](const std::vector<int>& pre, const std::vector<int>& ctx) {
    double s = 0;
    for (int t : pre) s += t * 1e-4;
    return s + (ctx.empty() ? 0 : 0.02);
  };
  c.iteration_flops = [](const std::vector<int>&, const std::vector<int>&) { return 0.0; };
  c.kv_bytes_per_token = 1;
  c.kv_capacity_bytes = 1e12;
  return c;
}

double seconds_in_child(const std::function<void()>& body) {
  ForkResult r = fork_call([&] {
    auto t0 = std::chrono::steady_clock::now();
    body();
    return std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  });
  return r.ok ? std::stod(r.out) : -1;
}

void BM_CancelledRaces(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const double s = seconds_in_child([n] {
      SimSetup setup;
      setup.platform = one_edge(1e6, 0.005);
      setup.cloud_cost = linear_cost();
      setup.requests.resize(n);
      for (int i = 0; i < n; ++i) {
        setup.requests[i].id = i;
        setup.requests[i].arrival_s = i;
        setup.requests[i].output_tokens = 250;
      }
      setup.planner = [](const Request& q, const Observation&) {
        ExecPlan p;
        p.mode = ExecMode::Race;
        p.edge_answer_s = 0.3;
        p.edge_confident = true;
        p.upload_bytes = q.id % 2 == 0 ? 1e6 : 1e3;
        p.cloud.prefill_tokens = 10;
        p.cloud.decode_tokens = 250;
        p.reply_bytes = 1e3;
        return p;
      };
      run_simulation(setup);
    });
    state.SetIterationTime(s);
    state.counters["us_per_request"] = s / n * 1e6;
  }
}

void BM_MsaoPaper(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    const double s = seconds_in_child([n] {
      run_scenario(load_scenario(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml",
                                 {"workload.requests=" + std::to_string(n)}));
    });
    state.SetIterationTime(s);
    state.counters["us_per_request"] = s / n * 1e6;
  }
}

}  // namespace

BENCHMARK(BM_CancelledRaces)->Arg(10000)->Arg(100000)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MsaoPaper)->Arg(10000)->Arg(100000)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
