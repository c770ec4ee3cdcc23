// x86 AVX2/FMA/F16C backend. This file alone is compiled with
// -mavx2 -mfma -mf16c; dispatch.cpp calls avx2_backend_table() only after
// checking the CPU supports all three, so the library still runs on older x86.
// Four independent accumulators hide the FMA latency; the memory-bound
// kernels (fp16/int8 GEMV, attention) stream each weight byte exactly once.
#include <immintrin.h>

#include "kernels/detail/driver.hpp"
#include "kernels/half.hpp"

namespace msao::kernels {
namespace {

inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
inline __m256 load_f16(const uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
inline __m256 load_w(const float* p) { return _mm256_loadu_ps(p); }
inline __m256 load_w(const uint16_t* p) { return load_f16(p); }
inline float to_f32(float v) { return v; }
inline float to_f32(uint16_t h) { return half_to_float(h); }
inline __m256 load_w(const int8_t* p) {
  return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}

// How far ahead of the weight / KV stream to prefetch (bytes). The int8
// GEMV spends ~5 instructions per 8 weight bytes on widening, so the
// out-of-order window alone covers too few bytes to keep enough misses in
// flight; measured: 11 -> 16 GB/s single-thread on the 2-core Xeon VM.
constexpr int kPrefetchAhead = 2048;

// Sums w[i]*x[i] over the largest multiple of 8 below n into `sum` (fp32
// lanes) and returns that count; callers finish the tail in scalar code.
template <class W>
size_t fma_run(const W* w, const float* x, size_t n, __m256& sum) {
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    _mm_prefetch(reinterpret_cast<const char*>(w + i) + kPrefetchAhead, _MM_HINT_T0);
    a0 = _mm256_fmadd_ps(load_w(w + i), _mm256_loadu_ps(x + i), a0);
    a1 = _mm256_fmadd_ps(load_w(w + i + 8), _mm256_loadu_ps(x + i + 8), a1);
    a2 = _mm256_fmadd_ps(load_w(w + i + 16), _mm256_loadu_ps(x + i + 16), a2);
    a3 = _mm256_fmadd_ps(load_w(w + i + 24), _mm256_loadu_ps(x + i + 24), a3);
  }
  for (; i + 8 <= n; i += 8) a0 = _mm256_fmadd_ps(load_w(w + i), _mm256_loadu_ps(x + i), a0);
  sum = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
  return i;
}

// w·x for fp32 or fp16 weights w, fp32 accumulation.
template <class W>
float dot(const W* w, const float* x, size_t n) {
  __m256 sum;
  size_t i = fma_run(w, x, n, sum);
  float acc = hsum(sum);
  for (; i < n; ++i) acc += to_f32(w[i]) * x[i];
  return acc;
}

struct Avx2Ops {
  static float dot_f32(const float* a, const float* b, size_t n) { return dot(a, b, n); }
  static float dot_f16(const uint16_t* w, const float* x, size_t n) { return dot(w, x, n); }
  // Each group's partial sum stays in a vector and is scaled there, so
  // there is one horizontal sum per row, not one per group.
  static float row_i8(const int8_t* w, const float* scales, size_t group, const float* x, size_t n) {
    __m256 acc = _mm256_setzero_ps();
    float tail = 0.0f;
    for (size_t g0 = 0, gi = 0; g0 < n; g0 += group, ++gi) {
      const size_t g1 = g0 + group < n ? g0 + group : n;
      __m256 p;
      size_t i = g0 + fma_run(w + g0, x + g0, g1 - g0, p);
      float part = 0.0f;
      for (; i < g1; ++i) part += float(w[i]) * x[i];
      acc = _mm256_fmadd_ps(p, _mm256_set1_ps(scales[gi]), acc);
      tail += scales[gi] * part;
    }
    return hsum(acc) + tail;
  }
  static void axpy_f16(float a, const uint16_t* v, float* o, size_t n) {
    const __m256 va = _mm256_set1_ps(a);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
      _mm_prefetch(reinterpret_cast<const char*>(v + i) + kPrefetchAhead, _MM_HINT_T0);
      for (size_t j = i; j < i + 32; j += 8)
        _mm256_storeu_ps(o + j, _mm256_fmadd_ps(va, load_f16(v + j), _mm256_loadu_ps(o + j)));
    }
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(o + i, _mm256_fmadd_ps(va, load_f16(v + i), _mm256_loadu_ps(o + i)));
    for (; i < n; ++i) o[i] += a * half_to_float(v[i]);
  }
  static void scale(float a, float* o, size_t n) {
    const __m256 va = _mm256_set1_ps(a);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(o + i, _mm256_mul_ps(va, _mm256_loadu_ps(o + i)));
    for (; i < n; ++i) o[i] *= a;
  }
};

}  // namespace

const Backend& avx2_backend_table() {
  static const Backend b = detail::Driver<Avx2Ops>::make("avx2");
  return b;
}

}  // namespace msao::kernels
