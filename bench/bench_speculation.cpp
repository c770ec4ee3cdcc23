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
#include "sim/util/fork_call.hpp"
#include "sim/run/run_scenario.hpp"
#include "tests/race_fixture.hpp"

using namespace msao;

namespace {

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
      run_simulation(msao::test::cancelled_races(n));
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
