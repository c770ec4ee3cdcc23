// Flash-decoding split and merge for the CPU backends (see decode.hpp).
#include "kernels/decode.hpp"

#include <cmath>

namespace msao::kernels {

void merge_partials(const float* m, const float* l, const float* o, size_t splits, size_t d, float* out) {
  float gm = -INFINITY;
  for (size_t s = 0; s < splits; ++s) gm = std::fmax(gm, m[s]);
  float gl = 0.0f;
  for (size_t j = 0; j < d; ++j) out[j] = 0.0f;
  for (size_t s = 0; s < splits; ++s) {
    if (l[s] == 0.0f) continue;  // empty split (more splits than keys)
    const float c = std::exp(m[s] - gm);
    gl += c * l[s];
    for (size_t j = 0; j < d; ++j) out[j] += c * o[s * d + j];
  }
  const float inv = 1.0f / gl;
  for (size_t j = 0; j < d; ++j) out[j] *= inv;
}

void decode_attention(const Backend& be, const float* q, const uint16_t* K, const uint16_t* V, size_t n, size_t d,
                      float scale, size_t splits, float* out, AttnPartials& work) {
  if (splits == 0) splits = 1;
  work.m.resize(splits);
  work.l.resize(splits);
  work.o.resize(splits * d);
  for (size_t s = 0; s < splits; ++s) {
    size_t b, e;
    split_range(n, splits, s, b, e);
    be.attn_partial(q, K + b * d, V + b * d, e - b, d, scale, &work.m[s], &work.l[s], &work.o[s * d]);
  }
  merge_partials(work.m.data(), work.l.data(), work.o.data(), splits, d, out);
}

}  // namespace msao::kernels
