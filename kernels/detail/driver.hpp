// Turns a backend's row primitives into a Backend table. The loops over rows
// and the blocked online softmax of decode attention are written once here;
// a backend only supplies the inner vector loops (Ops), so scalar, AVX2 and
// NEON differ exactly where the hardware does. Included only by the backend
// .cpp files, each compiled with its own ISA flags; Driver<Ops> has internal
// linkage through its Ops (an anonymous-namespace type), and it calls no
// external inline library templates, so no ISA-specific copy can leak out.
#pragma once
#include <math.h>  // expf: a plain libm call, no inline C++ wrapper

#include "kernels/backend.hpp"

namespace msao::kernels::detail {

// Ops must provide (all fp32 accumulation):
//   float dot_f32(const float* a, const float* b, size_t n);
//   float dot_f16(const uint16_t* w, const float* x, size_t n);
//   float row_i8(const int8_t* w, const float* scales, size_t group, const float* x, size_t n);
//   void  axpy_f16(float a, const uint16_t* v, float* o, size_t n);   // o += a * v
//   void  scale(float a, float* o, size_t n);                        // o *= a
template <class Ops>
struct Driver {
  static void gemv_f32(const float* W, const float* x, float* y, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; ++r) y[r] = Ops::dot_f32(W + r * cols, x, cols);
  }
  static void gemv_f16(const uint16_t* W, const float* x, float* y, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; ++r) y[r] = Ops::dot_f16(W + r * cols, x, cols);
  }
  // Blocked so that a block of weight rows stays in L1/L2 while every token
  // of a token block is multiplied by it: weights come from memory once per
  // token block (once in all for a decode batch), not once per token.
  static void gemm_f16(const uint16_t* W, const float* X, float* Y, size_t T, size_t rows, size_t cols) {
    constexpr size_t kTokens = 64, kRowBytes = 64 * 1024;
    const size_t row_block = cols * 2 >= kRowBytes ? 1 : kRowBytes / (cols * 2);
    for (size_t t0 = 0; t0 < T; t0 += kTokens) {
      const size_t t1 = t0 + kTokens < T ? t0 + kTokens : T;
      for (size_t r0 = 0; r0 < rows; r0 += row_block) {
        const size_t r1 = r0 + row_block < rows ? r0 + row_block : rows;
        for (size_t t = t0; t < t1; ++t)
          for (size_t r = r0; r < r1; ++r) Y[t * rows + r] = Ops::dot_f16(W + r * cols, X + t * cols, cols);
      }
    }
  }
  static void gemv_i8(const int8_t* W, const float* scales, size_t group, const float* x, float* y, size_t rows,
                      size_t cols) {
    const size_t ngroups = (cols + group - 1) / group;
    for (size_t r = 0; r < rows; ++r) y[r] = Ops::row_i8(W + r * cols, scales + r * ngroups, group, x, cols);
  }
  // Keys are scored a block at a time so the running output is rescaled
  // once per block rather than once per key.
  static void attn_partial(const float* q, const uint16_t* K, const uint16_t* V, size_t n, size_t d, float scale,
                           float* m_out, float* l_out, float* o) {
    constexpr size_t kBlock = 64;
    float s[kBlock];
    float m = -INFINITY, l = 0.0f;
    for (size_t j = 0; j < d; ++j) o[j] = 0.0f;
    for (size_t b = 0; b < n; b += kBlock) {
      const size_t nb = n - b < kBlock ? n - b : kBlock;
      float bm = -INFINITY;
      for (size_t i = 0; i < nb; ++i) {
        s[i] = Ops::dot_f16(K + (b + i) * d, q, d) * scale;
        bm = s[i] > bm ? s[i] : bm;
      }
      if (bm > m) {
        const float c = expf(m - bm);  // exp(-inf) = 0 on the first block
        l *= c;
        Ops::scale(c, o, d);
        m = bm;
      }
      for (size_t i = 0; i < nb; ++i) {
        const float p = expf(s[i] - m);
        l += p;
        Ops::axpy_f16(p, V + (b + i) * d, o, d);
      }
    }
    *m_out = m;
    *l_out = l;
  }
  static Backend make(const char* name) { return Backend{name, gemv_f32, gemv_f16, gemm_f16, gemv_i8, attn_partial}; }
};

}  // namespace msao::kernels::detail
