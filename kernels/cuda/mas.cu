// CUDA MAS kernels. patch_importance: one block per (head, prompt token)
// computes that query's scores over all patches in shared memory, a
// block-wide softmax, and adds its share (1 / (heads*tokens)) of each
// probability into importance with atomics. lsh_hash: one thread per
// (frame, plane) projection, sign bits ORed into 64-bit words.
#include <cmath>
#include <stdexcept>

#include "kernels/cuda/cuda_kernels.hpp"
#include "kernels/cuda/warp.cuh"

namespace msao::kernels::cuda {
namespace {

constexpr int kThreads = 256;

__device__ float block_reduce(float v, bool is_max, float* scratch) {
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp;
  v = is_max ? warp_max(v) : warp_sum(v);
  __syncthreads();  // scratch may still be read from the previous reduction
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  float r = is_max ? -INFINITY : 0.f;
  for (int w = 0; w < kThreads / kWarp; ++w) r = is_max ? fmaxf(r, scratch[w]) : r + scratch[w];
  return r;
}

__global__ void patch_importance_kernel(const float* q, const float* K, size_t tokens, size_t patches, size_t d,
                                        float scale, float share, float* importance) {
  extern __shared__ float smem[];  // [d] query, then [patches] scores
  float* qs = smem;
  float* sc = smem + d;
  __shared__ float scratch[kThreads / kWarp];
  const size_t ht = blockIdx.x;  // head * tokens + token
  const size_t h = ht / tokens;
  for (size_t j = threadIdx.x; j < d; j += kThreads) qs[j] = q[ht * d + j];
  __syncthreads();
  const float* Kh = K + h * patches * d;
  float m = -INFINITY;
  for (size_t p = threadIdx.x; p < patches; p += kThreads) {
    float acc = 0.f;
    for (size_t j = 0; j < d; ++j) acc += qs[j] * Kh[p * d + j];
    sc[p] = acc * scale;
    m = fmaxf(m, sc[p]);
  }
  m = block_reduce(m, true, scratch);
  float sum = 0.f;
  for (size_t p = threadIdx.x; p < patches; p += kThreads) sum += (sc[p] = __expf(sc[p] - m));
  sum = block_reduce(sum, false, scratch);
  const float f = share / sum;
  for (size_t p = threadIdx.x; p < patches; p += kThreads) atomicAdd(importance + p, sc[p] * f);
}

__global__ void lsh_hash_kernel(const float* planes, size_t bits, const float* frames, size_t F, size_t d,
                                size_t words, unsigned long long* hashes) {
  const size_t t = size_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (t >= F * bits) return;
  const size_t f = t / bits, b = t % bits;
  float acc = 0.f;
  for (size_t j = 0; j < d; ++j) acc += planes[b * d + j] * frames[f * d + j];
  if (acc >= 0.f) atomicOr(hashes + f * words + b / 64, 1ull << (b % 64));
}

}  // namespace

void patch_importance(const float* q, const float* K, size_t heads, size_t tokens, size_t patches, size_t d,
                      float* importance) {
  MSAO_CUDA_CHECK(cudaMemset(importance, 0, patches * sizeof(float)));
  if (heads * tokens == 0) return;
  const size_t shmem = (patches + d) * sizeof(float);
  if (shmem > 48 * 1024) throw std::invalid_argument("cuda::patch_importance: patches + d must fit 48 KiB of shared memory");
  patch_importance_kernel<<<unsigned(heads * tokens), kThreads, shmem>>>(
      q, K, tokens, patches, d, 1.0f / std::sqrt(float(d)), 1.0f / float(heads * tokens), importance);
  MSAO_CUDA_CHECK_LAUNCH("patch_importance_kernel");
}

void lsh_hash(const float* planes, size_t bits, const float* frames, size_t F, size_t d, unsigned long long* hashes) {
  const size_t words = (bits + 63) / 64;
  MSAO_CUDA_CHECK(cudaMemset(hashes, 0, F * words * sizeof(unsigned long long)));
  if (F * bits == 0) return;
  lsh_hash_kernel<<<blocks_for(F * bits, kThreads), kThreads>>>(planes, bits, frames, F, d, words, hashes);
  MSAO_CUDA_CHECK_LAUNCH("lsh_hash_kernel");
}

}  // namespace msao::kernels::cuda
