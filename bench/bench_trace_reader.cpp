// Speed of the MAS trace reader in rows per second (reported in
// traces/README.md): a 100k-row vqav2 trace written once, read repeatedly.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "workloads/generator.hpp"
#include "workloads/mas_trace.hpp"

namespace {

const std::string& trace_file(const std::string& dataset) {
  static std::string paths[3];
  const int i = dataset == "vqav2" ? 0 : dataset == "mmbench" ? 1 : 2;
  if (paths[i].empty()) {
    paths[i] = "/tmp/msao-bench-trace-" + dataset + ".csv";
    msao::write_mas_trace(paths[i], msao::generate_requests(dataset, 100000, 1));
  }
  return paths[i];
}

void BM_ReadMasTrace(benchmark::State& state, const char* dataset) {
  const std::string& path = trace_file(dataset);
  size_t rows = 0;
  for (auto _ : state) {
    auto rs = msao::read_mas_trace(path);
    rows += rs.size();
    benchmark::DoNotOptimize(rs.data());
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}

void BM_WriteMasTrace(benchmark::State& state) {
  auto rs = msao::generate_requests("vqav2", 100000, 1);
  size_t rows = 0;
  for (auto _ : state) {
    msao::write_mas_trace("/tmp/msao-bench-write.csv", rs);
    rows += rs.size();
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(BM_ReadMasTrace, vqav2, "vqav2")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ReadMasTrace, video_qa, "video-qa")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriteMasTrace)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
