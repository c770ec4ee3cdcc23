// aarch64 NEON backend (Advanced SIMD is mandatory on aarch64, so no run-time
// check is needed). Compiled only for aarch64: natively there, and by
// kernels/neon/run_neon_tests.sh with the Debian cross compiler for qemu.
// fp16 weights are widened with vcvt_f32_f16; four accumulators hide the
// FMA latency as in the AVX2 backend.
#include <arm_neon.h>

#include "kernels/detail/driver.hpp"
#include "kernels/half.hpp"

namespace msao::kernels {
namespace {

inline float32x4_t load_f16(const uint16_t* p) { return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p))); }
inline float32x4_t load_w(const float* p) { return vld1q_f32(p); }
inline float32x4_t load_w(const uint16_t* p) { return load_f16(p); }
inline float to_f32(float v) { return v; }
inline float to_f32(uint16_t h) { return half_to_float(h); }
// 8 int8 -> two float32x4
inline void load_i8(const int8_t* p, float32x4_t& lo, float32x4_t& hi) {
  const int16x8_t w16 = vmovl_s8(vld1_s8(p));
  lo = vcvtq_f32_s32(vmovl_s16(vget_low_s16(w16)));
  hi = vcvtq_f32_s32(vmovl_s16(vget_high_s16(w16)));
}

// w·x for fp32 or fp16 weights w, fp32 accumulation.
template <class W>
float dot(const W* w, const float* x, size_t n) {
  float32x4_t a0 = vdupq_n_f32(0), a1 = a0, a2 = a0, a3 = a0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    a0 = vfmaq_f32(a0, load_w(w + i), vld1q_f32(x + i));
    a1 = vfmaq_f32(a1, load_w(w + i + 4), vld1q_f32(x + i + 4));
    a2 = vfmaq_f32(a2, load_w(w + i + 8), vld1q_f32(x + i + 8));
    a3 = vfmaq_f32(a3, load_w(w + i + 12), vld1q_f32(x + i + 12));
  }
  for (; i + 4 <= n; i += 4) a0 = vfmaq_f32(a0, load_w(w + i), vld1q_f32(x + i));
  float acc = vaddvq_f32(vaddq_f32(vaddq_f32(a0, a1), vaddq_f32(a2, a3)));
  for (; i < n; ++i) acc += to_f32(w[i]) * x[i];
  return acc;
}

struct NeonOps {
  static float dot_f32(const float* a, const float* b, size_t n) { return dot(a, b, n); }
  static float dot_f16(const uint16_t* w, const float* x, size_t n) { return dot(w, x, n); }
  static float row_i8(const int8_t* w, const float* scales, size_t group, const float* x, size_t n) {
    float32x4_t acc = vdupq_n_f32(0);
    float tail = 0.0f;
    for (size_t g0 = 0, gi = 0; g0 < n; g0 += group, ++gi) {
      const size_t g1 = g0 + group < n ? g0 + group : n;
      float32x4_t p0 = vdupq_n_f32(0), p1 = p0, p2 = p0, p3 = p0;
      size_t i = g0;
      for (; i + 16 <= g1; i += 16) {
        float32x4_t lo, hi, lo2, hi2;
        load_i8(w + i, lo, hi);
        load_i8(w + i + 8, lo2, hi2);
        p0 = vfmaq_f32(p0, lo, vld1q_f32(x + i));
        p1 = vfmaq_f32(p1, hi, vld1q_f32(x + i + 4));
        p2 = vfmaq_f32(p2, lo2, vld1q_f32(x + i + 8));
        p3 = vfmaq_f32(p3, hi2, vld1q_f32(x + i + 12));
      }
      float part = 0.0f;
      for (; i < g1; ++i) part += float(w[i]) * x[i];
      const float32x4_t p = vaddq_f32(vaddq_f32(p0, p1), vaddq_f32(p2, p3));
      acc = vfmaq_n_f32(acc, p, scales[gi]);
      tail += scales[gi] * part;
    }
    return vaddvq_f32(acc) + tail;
  }
  static void axpy_f16(float a, const uint16_t* v, float* o, size_t n) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) vst1q_f32(o + i, vfmaq_n_f32(vld1q_f32(o + i), load_f16(v + i), a));
    for (; i < n; ++i) o[i] += a * half_to_float(v[i]);
  }
  static void scale(float a, float* o, size_t n) {
    size_t i = 0;
    for (; i + 4 <= n; i += 4) vst1q_f32(o + i, vmulq_n_f32(vld1q_f32(o + i), a));
    for (; i < n; ++i) o[i] *= a;
  }
};

}  // namespace

const Backend& neon_backend_table() {
  static const Backend b = detail::Driver<NeonOps>::make("neon");
  return b;
}

}  // namespace msao::kernels
