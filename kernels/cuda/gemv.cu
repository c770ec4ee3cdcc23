// CUDA GEMV kernels: one warp per row; lanes stride over the row in 16-byte
// vector loads (8 fp16 or 16 int8 weights) when the row is aligned, so each
// warp reads 512 contiguous bytes per step, and fall back to scalar loads
// for unaligned rows and tails. fp32 accumulation, warp-shuffle reduction.
#include <cstdint>

#include "kernels/cuda/cuda_kernels.hpp"
#include "kernels/cuda/warp.cuh"

namespace msao::kernels::cuda {
namespace {

constexpr int kRowsPerBlock = 8;  // 8 warps, 256 threads

__device__ inline size_t warp_row() { return size_t(blockIdx.x) * kRowsPerBlock + threadIdx.x / kWarp; }

// The last step of every GEMV kernel: reduce the warp's partial sums.
__device__ inline void store_row(float acc, float* y, size_t r) {
  acc = warp_sum(acc);
  if (threadIdx.x % kWarp == 0) y[r] = acc;
}

__global__ void gemv_f32_kernel(const float* W, const float* x, float* y, size_t rows, size_t cols) {
  const size_t r = warp_row();
  const int lane = threadIdx.x % kWarp;
  if (r >= rows) return;
  const float* w = W + r * cols;
  float acc = 0.f;
  for (size_t c = lane; c < cols; c += kWarp) acc += w[c] * __ldg(x + c);
  store_row(acc, y, r);
}

__global__ void gemv_f16_kernel(const uint16_t* W, const float* x, float* y, size_t rows, size_t cols) {
  const size_t r = warp_row();
  const int lane = threadIdx.x % kWarp;
  if (r >= rows) return;
  const uint16_t* w = W + r * cols;
  float acc = 0.f;
  size_t c0 = 0;
  if ((reinterpret_cast<uintptr_t>(w) & 15) == 0) {
    const size_t nvec = cols / 8;
    const uint4* wv = reinterpret_cast<const uint4*>(w);
    for (size_t v = lane; v < nvec; v += kWarp) {
      const uint4 p = __ldcs(wv + v);  // streamed once: do not keep in L2
      const uint32_t words[4] = {p.x, p.y, p.z, p.w};
      const float* xv = x + v * 8;
#pragma unroll
      for (int k = 0; k < 4; ++k) {
        acc += h2f(uint16_t(words[k] & 0xffffu)) * __ldg(xv + 2 * k);
        acc += h2f(uint16_t(words[k] >> 16)) * __ldg(xv + 2 * k + 1);
      }
    }
    c0 = nvec * 8;
  }
  for (size_t c = c0 + lane; c < cols; c += kWarp) acc += h2f(w[c]) * __ldg(x + c);
  store_row(acc, y, r);
}

__global__ void gemv_i8_kernel(const int8_t* W, const float* scales, size_t group, const float* x, float* y,
                               size_t rows, size_t cols) {
  const size_t r = warp_row();
  const int lane = threadIdx.x % kWarp;
  if (r >= rows) return;
  const int8_t* w = W + r * cols;
  const float* s = scales + r * ((cols + group - 1) / group);
  float acc = 0.f;
  size_t c0 = 0;
  // Vector path: 16 weights per load, all in one group when group % 16 == 0.
  if ((reinterpret_cast<uintptr_t>(w) & 15) == 0 && group % 16 == 0) {
    const size_t nvec = cols / 16;
    const int4* wv = reinterpret_cast<const int4*>(w);
    for (size_t v = lane; v < nvec; v += kWarp) {
      const int4 p = __ldcs(wv + v);
      const int8_t* b = reinterpret_cast<const int8_t*>(&p);
      const float* xv = x + v * 16;
      float part = 0.f;
#pragma unroll
      for (int k = 0; k < 16; ++k) part += float(b[k]) * __ldg(xv + k);
      acc += __ldg(s + (v * 16) / group) * part;
    }
    c0 = nvec * 16;
  }
  for (size_t c = c0 + lane; c < cols; c += kWarp) acc += __ldg(s + c / group) * float(w[c]) * __ldg(x + c);
  store_row(acc, y, r);
}

}  // namespace

void gemv_f32(const float* W, const float* x, float* y, size_t rows, size_t cols) {
  if (rows == 0) return;
  gemv_f32_kernel<<<blocks_for(rows, kRowsPerBlock), kRowsPerBlock * kWarp>>>(W, x, y, rows, cols);
  MSAO_CUDA_CHECK_LAUNCH("gemv_f32_kernel");
}

void gemv_f16(const uint16_t* W, const float* x, float* y, size_t rows, size_t cols) {
  if (rows == 0) return;
  gemv_f16_kernel<<<blocks_for(rows, kRowsPerBlock), kRowsPerBlock * kWarp>>>(W, x, y, rows, cols);
  MSAO_CUDA_CHECK_LAUNCH("gemv_f16_kernel");
}

void gemv_i8(const int8_t* W, const float* scales, size_t group, const float* x, float* y, size_t rows, size_t cols) {
  if (rows == 0) return;
  gemv_i8_kernel<<<blocks_for(rows, kRowsPerBlock), kRowsPerBlock * kWarp>>>(W, scales, group, x, y, rows, cols);
  MSAO_CUDA_CHECK_LAUNCH("gemv_i8_kernel");
}

}  // namespace msao::kernels::cuda
