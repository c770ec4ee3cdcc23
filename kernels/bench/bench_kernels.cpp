// Google Benchmark for the kernel backends: bytes/s and FLOP/s per kernel
// and size, and each kernel's bandwidth as a fraction of a STREAM-like triad
// measured in this same binary ("frac_triad"). Sizes run from cache-resident
// to well beyond the caches; the memory-bound targets apply to the latter.
// Every CPU backend available here is registered (scalar, avx2 / neon), and
// the CUDA kernels when a GPU is present (bench_cuda.cpp).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "kernels/backend.hpp"
#include "kernels/bench/bench_cuda.hpp"
#include "kernels/bench/counters.hpp"
#include "kernels/buffer.hpp"
#include "kernels/decode.hpp"
#include "kernels/half.hpp"
#include "kernels/mas.hpp"
#include "kernels/triad.hpp"

using namespace msao::kernels;

namespace {

double g_triad_Bps = 0;  // measured once in main, on arrays beyond the caches

void set_counters(benchmark::State& st, double bytes, double flops) {
  set_rate_counters(st, bytes, flops, g_triad_Bps);
}

template <class T>
HugeArray<T> filled(size_t n, std::mt19937& g) {
  std::uniform_real_distribution<float> u(-1, 1);
  HugeArray<T> v = make_huge<T>(n);
  for (size_t i = 0; i < n; ++i) {
    T& x = v[i];
    if constexpr (std::is_same_v<T, uint16_t>) x = float_to_half(u(g));
    else if constexpr (std::is_same_v<T, int8_t>) x = int8_t(u(g) * 127);
    else x = u(g);
  }
  return v;
}

void BM_Triad(benchmark::State& st) {
  const size_t n = size_t(st.range(0));
  auto a = make_huge<double>(n), b = make_huge<double>(n), c = make_huge<double>(n);
  std::fill_n(a.get(), n, 0.0);  // fault every page in before timing
  std::fill_n(b.get(), n, 1.0);
  std::fill_n(c.get(), n, 2.0);
  for (auto _ : st) {
    triad(a.get(), b.get(), c.get(), 3.0, n);
    benchmark::DoNotOptimize(a.get());
    benchmark::ClobberMemory();
  }
  set_counters(st, triad_bytes(n), 2.0 * double(n));
}

void BM_GemvF16(benchmark::State& st, const Backend* be) {
  const size_t rows = size_t(st.range(0)), cols = size_t(st.range(1));
  std::mt19937 g(1);
  auto W = filled<uint16_t>(rows * cols, g);
  auto x = filled<float>(cols, g);
  std::vector<float> y(rows);
  for (auto _ : st) {
    be->gemv_f16(W.get(), x.get(), y.data(), rows, cols);
    benchmark::DoNotOptimize(y.data());
  }
  set_counters(st, 2.0 * rows * cols + 4.0 * (rows + cols), 2.0 * rows * cols);
}

void BM_GemvI8(benchmark::State& st, const Backend* be) {
  const size_t rows = size_t(st.range(0)), cols = size_t(st.range(1)), group = 128;
  const size_t ng = (cols + group - 1) / group;
  std::mt19937 g(2);
  auto W = filled<int8_t>(rows * cols, g);
  auto s = filled<float>(rows * ng, g);
  auto x = filled<float>(cols, g);
  std::vector<float> y(rows);
  for (auto _ : st) {
    be->gemv_i8(W.get(), s.get(), group, x.get(), y.data(), rows, cols);
    benchmark::DoNotOptimize(y.data());
  }
  set_counters(st, double(rows * cols) + 4.0 * (rows * ng + rows + cols), 2.0 * rows * cols);
}

void BM_DecodeAttention(benchmark::State& st, const Backend* be) {
  const size_t n = size_t(st.range(0)), d = 128, splits = 16;
  std::mt19937 g(3);
  auto K = filled<uint16_t>(n * d, g), V = filled<uint16_t>(n * d, g);
  auto q = filled<float>(d, g);
  std::vector<float> out(d);
  AttnPartials work;
  for (auto _ : st) {
    decode_attention(*be, q.get(), K.get(), V.get(), n, d, 0.088f, splits, out.data(), work);
    benchmark::DoNotOptimize(out.data());
  }
  set_counters(st, 2.0 * 2.0 * n * d, 4.0 * n * d);
}

// One image's MAS: 16 heads x 32 prompt tokens over `patches` patches of
// width 64, plus modal relevance; reported as seconds per visual token.
void BM_MasPerToken(benchmark::State& st, const Backend* be) {
  const size_t heads = 16, tokens = 32, d = 64, patches = size_t(st.range(0));
  std::mt19937 g(4);
  auto q = filled<float>(heads * tokens * d, g), K = filled<float>(heads * patches * d, g);
  auto prompt = filled<float>(tokens * d, g), mod = filled<float>(patches * d, g);
  MasInput in{q.get(), K.get(), heads, tokens, patches, d, mod.get(), 1, prompt.get(), mod.get(), patches};
  for (auto _ : st) benchmark::DoNotOptimize(compute_mas(*be, in).combined);
  using C = benchmark::Counter;
  st.counters["s/token"] = C(double(patches), C::kIsIterationInvariantRate | C::kInvert);
  set_counters(st, 4.0 * heads * patches * d, 2.0 * heads * tokens * patches * d);
}

void register_all() {
  for (long n : {1L << 16, 1L << 20, 1L << 24, 1L << 26})
    benchmark::RegisterBenchmark("triad", BM_Triad)->Arg(n)->UseRealTime()->Unit(benchmark::kMillisecond);
  for (const Backend* be : available_backends()) {
    const std::string b = be->name;
    // 64 KiB / 2 MiB (cache) ... 128 MiB / 512 MiB of fp16 weights (beyond).
    benchmark::RegisterBenchmark(("gemv_f16/" + b).c_str(), BM_GemvF16, be)
        ->Args({128, 256})->Args({1024, 1024})->Args({8192, 8192})->Args({16384, 16384})
        ->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("gemv_i8/" + b).c_str(), BM_GemvI8, be)
        ->Args({1024, 1024})->Args({8192, 8192})->Args({16384, 16384})->Args({16384, 32768})
        ->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("decode_attention/" + b).c_str(), BM_DecodeAttention, be)
        ->Arg(4096)->Arg(1 << 16)->Arg(1 << 20)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("mas/" + b).c_str(), BM_MasPerToken, be)->Arg(256)->Arg(1024)
        ->UseRealTime()->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  g_triad_Bps = measure_triad_Bps(size_t(1) << 26);  // 3 x 512 MiB
  std::printf("triad bandwidth (3 x 512 MiB arrays): %.3g B/s\n", g_triad_Bps);
  register_all();
  register_cuda_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
