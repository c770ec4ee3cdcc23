// Decode-path entry points: single-query attention over an fp16 KV cache
// split along the sequence (flash-decoding). Each split yields a partial
// (max, sum, unnormalised output); merge_partials rescales them to a common
// max and normalises. On CPU the splits run one after another; they exist so
// the CPU and CUDA paths compute the same thing the same way.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/backend.hpp"

namespace msao::kernels {

struct AttnPartials {
  std::vector<float> m, l, o;  // per split: max, sum, o[split*d .. +d]
};

// Splits [0,n) into `splits` near-equal contiguous ranges; returns split s's [begin,end).
inline void split_range(size_t n, size_t splits, size_t s, size_t& begin, size_t& end) {
  begin = n * s / splits;
  end = n * (s + 1) / splits;
}

// out[d] = softmax(q·Kᵀ·scale) V, with K, V row-major [n][d] fp16.
// `work` is reused between calls to avoid allocating in the decode loop.
void decode_attention(const Backend& be, const float* q, const uint16_t* K, const uint16_t* V, size_t n, size_t d,
                      float scale, size_t splits, float* out, AttnPartials& work);

void merge_partials(const float* m, const float* l, const float* o, size_t splits, size_t d, float* out);

}  // namespace msao::kernels
