// Warp-level helpers shared by the CUDA kernels.
#pragma once
#include <cuda_fp16.h>

namespace msao::kernels::cuda {

__device__ inline float warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}
__device__ inline float warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}
__device__ inline float h2f(uint16_t h) { return __half2float(__ushort_as_half(h)); }

constexpr int kWarp = 32;

inline unsigned blocks_for(size_t items, size_t per_block) { return unsigned((items + per_block - 1) / per_block); }

}  // namespace msao::kernels::cuda
