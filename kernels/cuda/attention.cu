// CUDA flash-decoding: one block per KV split, each warp runs an online
// softmax over its share of the split's keys (lane j holds output columns
// j, j+32, ...), the block merges its warps into the split's partial
// (m, l, o), and a second kernel merges the splits, as merge_partials does
// on the CPU. Empty warps and splits carry l = 0 and are skipped, so no
// exp(-inf - -inf) ever happens.
#include <cmath>
#include <stdexcept>

#include "kernels/cuda/cuda_kernels.hpp"
#include "kernels/cuda/warp.cuh"

namespace msao::kernels::cuda {
namespace {

constexpr int kWarpsPerSplit = 8;
constexpr int kMaxD = 256;
constexpr int kPerLane = kMaxD / kWarp;

__global__ void attn_split_kernel(const float* q, const uint16_t* K, const uint16_t* V, size_t n, int d, float scale,
                                  size_t splits, float* part_m, float* part_l, float* part_o) {
  const size_t s = blockIdx.x;
  const size_t b = n * s / splits, e = n * (s + 1) / splits;
  const int warp = threadIdx.x / kWarp, lane = threadIdx.x % kWarp;
  float qr[kPerLane], o[kPerLane];
#pragma unroll
  for (int k = 0; k < kPerLane; ++k) {
    const int j = lane + k * kWarp;
    qr[k] = j < d ? q[j] : 0.f;
    o[k] = 0.f;
  }
  float m = -INFINITY, l = 0.f;
  for (size_t i = b + warp; i < e; i += kWarpsPerSplit) {
    const uint16_t* kr = K + i * d;
    const uint16_t* vr = V + i * d;
    float dot = 0.f;
#pragma unroll
    for (int k = 0; k < kPerLane; ++k) {
      const int j = lane + k * kWarp;
      if (j < d) dot += qr[k] * h2f(__ldcs(kr + j));
    }
    const float sc = warp_sum(dot) * scale;
    const float mn = fmaxf(m, sc);
    const float c = l == 0.f ? 0.f : __expf(m - mn);
    const float p = __expf(sc - mn);
    l = l * c + p;
#pragma unroll
    for (int k = 0; k < kPerLane; ++k) {
      const int j = lane + k * kWarp;
      if (j < d) o[k] = o[k] * c + p * h2f(__ldcs(vr + j));
    }
    m = mn;
  }
  __shared__ float sm[kWarpsPerSplit], sl[kWarpsPerSplit], so[kWarpsPerSplit][kMaxD];
  if (lane == 0) {
    sm[warp] = m;
    sl[warp] = l;
  }
#pragma unroll
  for (int k = 0; k < kPerLane; ++k) {
    const int j = lane + k * kWarp;
    if (j < d) so[warp][j] = o[k];
  }
  __syncthreads();
  float gm = -INFINITY;
  for (int w = 0; w < kWarpsPerSplit; ++w)
    if (sl[w] > 0.f) gm = fmaxf(gm, sm[w]);
  for (int j = threadIdx.x; j < d; j += blockDim.x) {
    float acc = 0.f;
    for (int w = 0; w < kWarpsPerSplit; ++w)
      if (sl[w] > 0.f) acc += __expf(sm[w] - gm) * so[w][j];
    part_o[s * d + j] = acc;
  }
  if (threadIdx.x == 0) {
    float gl = 0.f;
    for (int w = 0; w < kWarpsPerSplit; ++w)
      if (sl[w] > 0.f) gl += __expf(sm[w] - gm) * sl[w];
    part_m[s] = gm;
    part_l[s] = gl;
  }
}

__global__ void attn_merge_kernel(const float* part_m, const float* part_l, const float* part_o, size_t splits,
                                  int d, float* out) {
  float gm = -INFINITY;
  for (size_t s = 0; s < splits; ++s)
    if (part_l[s] > 0.f) gm = fmaxf(gm, part_m[s]);
  for (int j = threadIdx.x; j < d; j += blockDim.x) {
    float acc = 0.f, gl = 0.f;
    for (size_t s = 0; s < splits; ++s) {
      if (part_l[s] == 0.f) continue;
      const float c = __expf(part_m[s] - gm);
      gl += c * part_l[s];
      acc += c * part_o[s * d + j];
    }
    out[j] = acc / gl;
  }
}

}  // namespace

void decode_attention(const float* q, const uint16_t* K, const uint16_t* V, size_t n, size_t d, float scale,
                      size_t splits, float* part_m, float* part_l, float* part_o, float* out) {
  if (d == 0 || d > size_t(kMaxD)) throw std::invalid_argument("cuda::decode_attention: need 0 < d <= 256");
  if (splits == 0) splits = 1;
  attn_split_kernel<<<unsigned(splits), kWarpsPerSplit * kWarp>>>(q, K, V, n, int(d), scale, splits, part_m, part_l,
                                                                   part_o);
  MSAO_CUDA_CHECK_LAUNCH("attn_split_kernel");
  attn_merge_kernel<<<1, kMaxD>>>(part_m, part_l, part_o, splits, int(d), out);
  MSAO_CUDA_CHECK_LAUNCH("attn_merge_kernel");
}

}  // namespace msao::kernels::cuda
