// The CPU kernel backends behind one table of function pointers, so the
// decode path, the MAS path, the tests and the benchmarks run any backend
// through the same calls. scalar is the reference; avx2 (x86, chosen at run
// time by CPU feature check) and neon (aarch64) are the fast paths.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace msao::kernels {

struct Backend {
  const char* name;
  // y[r] = sum_c W[r*cols + c] * x[c]; W row-major, fp32 accumulation.
  void (*gemv_f32)(const float* W, const float* x, float* y, size_t rows, size_t cols);
  void (*gemv_f16)(const uint16_t* W, const float* x, float* y, size_t rows, size_t cols);
  // Y[t*rows + r] = sum_c W[r*cols + c] * X[t*cols + c] for T tokens: a
  // linear layer over a batch (prefill chunk, or several decoding
  // sequences) that streams each weight once and reuses it for every token.
  void (*gemm_f16)(const uint16_t* W, const float* X, float* Y, size_t T, size_t rows, size_t cols);
  // int8 weights, one fp32 scale per `group` consecutive weights of a row
  // (scales row-major, ceil(cols/group) per row; the last group may be short).
  void (*gemv_i8)(const int8_t* W, const float* scales, size_t group, const float* x, float* y, size_t rows,
                  size_t cols);
  // One split of flash-decoding attention over n fp16 keys/values of width
  // d: m = max score, l = sum exp(s - m), o = sum exp(s - m) * v
  // (unnormalised; merge_partials in decode.hpp combines splits).
  void (*attn_partial)(const float* q, const uint16_t* K, const uint16_t* V, size_t n, size_t d, float scale,
                       float* m, float* l, float* o);
};

const Backend& scalar_backend();
// nullptr where the backend is not compiled in or the CPU lacks it.
const Backend* avx2_backend();
const Backend* neon_backend();
// The fastest backend this CPU runs (runtime dispatch).
const Backend& best_backend();
// Every backend usable here, scalar first.
std::vector<const Backend*> available_backends();

}  // namespace msao::kernels
