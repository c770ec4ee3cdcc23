// CUDA kernels against the float64 references and the CPU MAS path. Built
// only with CUDA on; without a GPU every case prints "skipped: no CUDA
// device" and returns, which ctest reports as skipped (see CMakeLists.txt).
#ifdef MSAO_KERNELS_HAVE_CUDA
#include <doctest/doctest.h>

#include <cmath>
#include <functional>

#include "kernels/backend.hpp"
#include "kernels/cuda/cuda_kernels.hpp"
#include "kernels/mas.hpp"
#include "kernels/tests/reference.hpp"

using namespace msao::kernels;
using namespace msao::kernels::test;
namespace cu = msao::kernels::cuda;

namespace {

bool no_gpu() {
  std::string why;
  if (cu::device_present(&why)) return false;
  MESSAGE("skipped: no CUDA device (" << why << ")");
  return true;
}

template <class T>
cu::DeviceArray<T> to_device(const std::vector<T>& h) {
  cu::DeviceArray<T> d(h.size());
  d.upload(h.data());
  return d;
}

// Poisoned device output (NaN bytes) downloaded after the kernel ran.
std::vector<float> run_poisoned(size_t n, const std::function<void(float*)>& launch) {
  cu::DeviceArray<float> y(n);
  MSAO_CUDA_CHECK(cudaMemset(y.get(), 0xff, n * sizeof(float)));  // 0xffffffff is a NaN
  launch(y.get());
  MSAO_CUDA_CHECK(cudaDeviceSynchronize());
  std::vector<float> h(n);
  y.download(h.data());
  return h;
}

const size_t kShapes[][2] = {{1, 1}, {3, 7}, {17, 33}, {31, 257}, {129, 1000}, {5, 4099}, {1000, 4096}};

}  // namespace

TEST_CASE("cuda gemv fp16 matches float64 reference") {
  if (no_gpu()) return;
  auto g = rng_for(101);
  for (auto [rows, cols] : kShapes) {
    const auto W = random_f16(g, rows * cols);
    const auto x = random_f32(g, cols);
    const MatD Wd = decode_f16(W, rows, cols);
    auto dW = to_device(W);
    auto dx = to_device(x);
    const auto y = run_poisoned(rows, [&](float* dy) { cu::gemv_f16(dW.get(), dx.get(), dy, rows, cols); });
    const VecD xd = to_vec(x);
    CHECK(scaled_error(y, Wd * xd, Wd.cwiseAbs() * xd.cwiseAbs()) <= kTolF32Acc);
  }
}

TEST_CASE("cuda gemv int8 with group scales matches float64 reference") {
  if (no_gpu()) return;
  auto g = rng_for(102);
  for (size_t group : {32, 64, 128, 40}) {
    for (auto [rows, cols] : kShapes) {
      const size_t ng = (cols + group - 1) / group;
      const auto W = random_i8(g, rows * cols);
      const auto s = random_f32(g, rows * ng, 0.001f, 0.02f), x = random_f32(g, cols);
      const MatD Wd = dequant_i8(W, s, group, rows, cols);
      auto dW = to_device(W);
      auto ds = to_device(s);
      auto dx = to_device(x);
      const auto y =
          run_poisoned(rows, [&](float* dy) { cu::gemv_i8(dW.get(), ds.get(), group, dx.get(), dy, rows, cols); });
      const VecD xd = to_vec(x);
      INFO("group " << group << " " << rows << "x" << cols);
      CHECK(scaled_error(y, Wd * xd, Wd.cwiseAbs() * xd.cwiseAbs()) <= kTolF32Acc);
    }
  }
}

TEST_CASE("cuda split-KV decode attention matches float64 softmax reference") {
  if (no_gpu()) return;
  auto g = rng_for(103);
  const size_t cases[][3] = {{1, 8, 1}, {5, 3, 8}, {77, 13, 3}, {1031, 128, 7}, {100000, 128, 300}, {4096, 256, 16}};
  for (auto [n, d, splits] : cases) {
    const auto [K, V, q, scale, ref, mag] = random_attention(g, n, d);
    auto dK = to_device(K);
    auto dV = to_device(V);
    auto dq = to_device(q);
    cu::DeviceArray<float> pm(splits), pl(splits), po(splits * d);
    const auto out = run_poisoned(d, [&](float* dout) {
      cu::decode_attention(dq.get(), dK.get(), dV.get(), n, d, scale, splits, pm.get(), pl.get(), po.get(), dout);
    });
    INFO("n=" << n << " d=" << d << " splits=" << splits);
    // __expf is a fast approximation (2 ulp + range-dependent): same bound.
    CHECK(scaled_error(out, ref, mag) <= kTolF32Acc);
  }
}

TEST_CASE("cuda MAS kernels agree with the CPU MAS path") {
  if (no_gpu()) return;
  auto g = rng_for(104);
  const size_t heads = 4, tokens = 6, N = 577, d = 64, F = 9, bits = 128;
  const auto q = random_f32(g, heads * tokens * d), K = random_f32(g, heads * N * d);
  std::vector<float> cpu(N);
  patch_importance(scalar_backend(), q.data(), K.data(), heads, tokens, N, d, cpu.data());
  auto dq = to_device(q);
  auto dK = to_device(K);
  const auto gpu = run_poisoned(N, [&](float* imp) { cu::patch_importance(dq.get(), dK.get(), heads, tokens, N, d, imp); });
  // relative 1e-4: __expf and the atomics' summation order differ from the CPU
  for (size_t p = 0; p < N; ++p) CHECK(gpu[p] == doctest::Approx(cpu[p]).epsilon(1e-4).scale(0));

  // LSH: identical frames hash identically; hashes match the CPU hasher's
  // except where a projection is within rounding of zero (none expected here).
  auto frames = random_f32(g, F * d);
  std::copy(frames.begin(), frames.begin() + d, frames.begin() + d);  // frame 1 = frame 0
  FrameHasher h(d, bits, 7);
  const size_t w = h.words();
  std::vector<uint64_t> cpu_hash(F * w);
  for (size_t f = 0; f < F; ++f) h.hash(scalar_backend(), frames.data() + f * d, cpu_hash.data() + f * w);
  auto dplanes = to_device(h.planes());
  auto dframes = to_device(frames);
  cu::DeviceArray<unsigned long long> dhash(F * w);
  cu::lsh_hash(dplanes.get(), bits, dframes.get(), F, d, dhash.get());
  std::vector<unsigned long long> gpu_hash(F * w);
  dhash.download(gpu_hash.data());
  size_t differing_bits = 0;
  for (size_t i = 0; i < F * w; ++i) differing_bits += size_t(__builtin_popcountll(gpu_hash[i] ^ cpu_hash[i]));
  CHECK(differing_bits <= 1);
  CHECK(gpu_hash[0] == gpu_hash[w]);
  const std::vector<uint64_t> as_u64(gpu_hash.begin(), gpu_hash.end());
  CHECK(kept_fraction(as_u64.data(), F, w, 8) == doctest::Approx(kept_fraction(cpu_hash.data(), F, w, 8)));
}

TEST_CASE("cuda decode attention rejects head widths over 256") {
  if (no_gpu()) return;
  CHECK_THROWS(cu::decode_attention(nullptr, nullptr, nullptr, 1, 512, 1.0f, 1, nullptr, nullptr, nullptr, nullptr));
}
#endif
