// Scalar reference backend: plain loops, one accumulator, the definition
// the SIMD backends are tested against (besides the float64 Eigen checks).
#include "kernels/detail/driver.hpp"
#include "kernels/half.hpp"

namespace msao::kernels {
namespace {

struct ScalarOps {
  static float dot_f32(const float* a, const float* b, size_t n) {
    float acc = 0.0f;
    for (size_t i = 0; i < n; ++i) acc += a[i] * b[i];
    return acc;
  }
  static float dot_f16(const uint16_t* w, const float* x, size_t n) {
    float acc = 0.0f;
    for (size_t i = 0; i < n; ++i) acc += half_to_float(w[i]) * x[i];
    return acc;
  }
  static float row_i8(const int8_t* w, const float* scales, size_t group, const float* x, size_t n) {
    float acc = 0.0f;
    for (size_t g0 = 0, gi = 0; g0 < n; g0 += group, ++gi) {
      float part = 0.0f;
      const size_t g1 = g0 + group < n ? g0 + group : n;
      for (size_t i = g0; i < g1; ++i) part += float(w[i]) * x[i];
      acc += scales[gi] * part;
    }
    return acc;
  }
  static void axpy_f16(float a, const uint16_t* v, float* o, size_t n) {
    for (size_t i = 0; i < n; ++i) o[i] += a * half_to_float(v[i]);
  }
  static void scale(float a, float* o, size_t n) {
    for (size_t i = 0; i < n; ++i) o[i] *= a;
  }
};

}  // namespace

const Backend& scalar_backend() {
  static const Backend b = detail::Driver<ScalarOps>::make("scalar");
  return b;
}

}  // namespace msao::kernels
