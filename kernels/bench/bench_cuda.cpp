// CUDA benchmarks for bench_kernels: the same kernels and counters as the
// CPU ones, timed with CUDA events (manual time) and compared with a triad
// run on the GPU. Registered only when CUDA is built in and a GPU is present.
#include "kernels/bench/bench_cuda.hpp"

#ifdef MSAO_KERNELS_HAVE_CUDA
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

#include "kernels/bench/counters.hpp"
#include "kernels/cuda/cuda_kernels.hpp"

namespace msao::kernels {
namespace {

namespace cu = cuda;
double g_gpu_triad_Bps = 0;

// Times fn per iteration with events; the kernel's inputs are zero-filled
// device memory, which costs the same bandwidth as real data.
void run(benchmark::State& st, double bytes, double flops, const std::function<void()>& fn) {
  cudaEvent_t a, b;
  MSAO_CUDA_CHECK(cudaEventCreate(&a));
  MSAO_CUDA_CHECK(cudaEventCreate(&b));
  fn();
  for (auto _ : st) {
    MSAO_CUDA_CHECK(cudaEventRecord(a));
    fn();
    MSAO_CUDA_CHECK(cudaEventRecord(b));
    MSAO_CUDA_CHECK(cudaEventSynchronize(b));
    float ms = 0;
    MSAO_CUDA_CHECK(cudaEventElapsedTime(&ms, a, b));
    st.SetIterationTime(ms * 1e-3);
  }
  cudaEventDestroy(a);
  cudaEventDestroy(b);
  set_rate_counters(st, bytes, flops, g_gpu_triad_Bps);
}

template <class T>
cu::DeviceArray<T> zeros(size_t n) {
  cu::DeviceArray<T> d(n);
  MSAO_CUDA_CHECK(cudaMemset(d.get(), 0, n * sizeof(T)));
  return d;
}

void BM_CudaGemvF16(benchmark::State& st) {
  const size_t r = size_t(st.range(0)), c = size_t(st.range(1));
  auto W = zeros<uint16_t>(r * c);
  auto x = zeros<float>(c), y = zeros<float>(r);
  run(st, 2.0 * r * c, 2.0 * r * c, [&] { cu::gemv_f16(W.get(), x.get(), y.get(), r, c); });
}
void BM_CudaGemvI8(benchmark::State& st) {
  const size_t r = size_t(st.range(0)), c = size_t(st.range(1)), g = 128;
  auto W = zeros<int8_t>(r * c);
  auto s = zeros<float>(r * (c / g)), x = zeros<float>(c), y = zeros<float>(r);
  run(st, double(r) * c + 4.0 * r * (c / g), 2.0 * r * c,
      [&] { cu::gemv_i8(W.get(), s.get(), g, x.get(), y.get(), r, c); });
}
void BM_CudaDecodeAttention(benchmark::State& st) {
  const size_t n = size_t(st.range(0)), d = 128;
  const size_t splits = std::clamp<size_t>(n / 256, 1, size_t(cu::sm_count()) * 32);
  auto K = zeros<uint16_t>(n * d), V = zeros<uint16_t>(n * d);
  auto q = zeros<float>(d), pm = zeros<float>(splits), pl = zeros<float>(splits), po = zeros<float>(splits * d),
       out = zeros<float>(d);
  run(st, 4.0 * n * d, 4.0 * n * d, [&] {
    cu::decode_attention(q.get(), K.get(), V.get(), n, d, 0.088f, splits, pm.get(), pl.get(), po.get(), out.get());
  });
}
void BM_CudaMasPerToken(benchmark::State& st) {
  const size_t heads = 16, tokens = 32, d = 64, patches = size_t(st.range(0));
  auto q = zeros<float>(heads * tokens * d), K = zeros<float>(heads * patches * d), imp = zeros<float>(patches);
  run(st, 4.0 * heads * patches * d, 2.0 * heads * tokens * patches * d,
      [&] { cu::patch_importance(q.get(), K.get(), heads, tokens, patches, d, imp.get()); });
  using C = benchmark::Counter;
  st.counters["s/token"] = C(double(patches), C::kIsIterationInvariantRate | C::kInvert);
}

double gpu_triad_Bps() {
  const size_t n = size_t(1) << 28;  // 3 x 2 GiB
  auto a = zeros<double>(n), b = zeros<double>(n), c = zeros<double>(n);
  cudaEvent_t e0, e1;
  MSAO_CUDA_CHECK(cudaEventCreate(&e0));
  MSAO_CUDA_CHECK(cudaEventCreate(&e1));
  cu::triad(a.get(), b.get(), c.get(), 3.0, n);
  MSAO_CUDA_CHECK(cudaEventRecord(e0));
  for (int i = 0; i < 10; ++i) cu::triad(a.get(), b.get(), c.get(), 3.0, n);
  MSAO_CUDA_CHECK(cudaEventRecord(e1));
  MSAO_CUDA_CHECK(cudaEventSynchronize(e1));
  float ms = 0;
  MSAO_CUDA_CHECK(cudaEventElapsedTime(&ms, e0, e1));
  cudaEventDestroy(e0);
  cudaEventDestroy(e1);
  return 10 * 24.0 * double(n) / (ms * 1e-3);
}

}  // namespace

void register_cuda_benchmarks() {
  std::string why;
  if (!cu::device_present(&why)) {
    std::printf("CUDA benchmarks skipped: %s\n", why.c_str());
    return;
  }
  g_gpu_triad_Bps = gpu_triad_Bps();
  std::printf("GPU triad bandwidth (%s, 3 x 2 GiB): %.4g B/s\n", cu::device_name().c_str(), g_gpu_triad_Bps);
  benchmark::RegisterBenchmark("cuda/gemv_f16", BM_CudaGemvF16)
      ->Args({4096, 4096})->Args({16384, 16384})->Args({32768, 32768})->UseManualTime();
  benchmark::RegisterBenchmark("cuda/gemv_i8", BM_CudaGemvI8)
      ->Args({4096, 4096})->Args({16384, 16384})->Args({32768, 65536})->UseManualTime();
  benchmark::RegisterBenchmark("cuda/decode_attention", BM_CudaDecodeAttention)
      ->Arg(1 << 16)->Arg(1 << 20)->Arg(1 << 22)->UseManualTime();
  benchmark::RegisterBenchmark("cuda/mas", BM_CudaMasPerToken)->Arg(576)->Arg(2048)->UseManualTime();
}

}  // namespace msao::kernels
#else
namespace msao::kernels {
void register_cuda_benchmarks() {}  // built without CUDA: nothing to register
}  // namespace msao::kernels
#endif
