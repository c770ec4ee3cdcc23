// Shared test helpers: random inputs from the run's seed, NaN poisoning of
// outputs, and the float64 Eigen references every backend is checked against.
// Error bounds (stated once, here): with fp32 accumulation, each output may
// differ from the float64 result by at most kTolF32Acc times the sum of the
// absolute values of the terms it sums (a condition-aware relative bound);
// fp16 and int8 weights are decoded exactly, so their bound is the same.
#pragma once
#include <Eigen/Dense>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "kernels/half.hpp"

namespace msao::kernels::test {

constexpr double kTolF32Acc = 1e-4;

uint64_t seed();  // test_main.cpp

// One generator per test case, derived from the run's seed and a case tag,
// so each case sees fresh but replayable inputs.
inline std::mt19937_64 rng_for(uint64_t tag) { return std::mt19937_64(seed() ^ (tag * 0x9e3779b97f4a7c15ull)); }

inline std::vector<float> random_f32(std::mt19937_64& g, size_t n, float lo = -1, float hi = 1) {
  std::uniform_real_distribution<float> u(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = u(g);
  return v;
}
inline std::vector<uint16_t> random_f16(std::mt19937_64& g, size_t n) {
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<uint16_t> v(n);
  for (auto& x : v) x = float_to_half(u(g));
  return v;
}
inline std::vector<int8_t> random_i8(std::mt19937_64& g, size_t n) {
  std::uniform_int_distribution<int> u(-127, 127);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = int8_t(u(g));
  return v;
}
inline void poison(std::vector<float>& v) { std::fill(v.begin(), v.end(), std::nanf("")); }

using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using VecD = Eigen::VectorXd;

inline VecD to_vec(const std::vector<float>& v) {
  VecD r(v.size());
  for (size_t i = 0; i < v.size(); ++i) r[i] = v[i];
  return r;
}

// fp16 matrix [rows][cols] decoded exactly to float64.
inline MatD decode_f16(const std::vector<uint16_t>& W, size_t rows, size_t cols) {
  MatD m(rows, cols);
  for (size_t i = 0; i < rows * cols; ++i) m.data()[i] = half_to_float(W[i]);
  return m;
}
// int8 weights with per-group scales dequantized exactly to float64.
inline MatD dequant_i8(const std::vector<int8_t>& W, const std::vector<float>& scales, size_t group, size_t rows,
                       size_t cols) {
  const size_t ng = (cols + group - 1) / group;
  MatD m(rows, cols);
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) m(r, c) = double(scales[r * ng + c / group]) * W[r * cols + c];
  return m;
}

// float64 single-query attention over fp16 K, V [n][d]: ref = softmax(K q
// scale)ᵀ V and mag = softmax(...)ᵀ |V|, the scale for scaled_error.
inline void attention_reference(const std::vector<uint16_t>& K, const std::vector<uint16_t>& V,
                                const std::vector<float>& q, size_t n, size_t d, float scale, VecD& ref, VecD& mag) {
  const MatD Kd = decode_f16(K, n, d), Vd = decode_f16(V, n, d);
  const VecD s = Kd * to_vec(q) * double(scale);
  VecD p = (s.array() - s.maxCoeff()).exp();
  p /= p.sum();
  ref = Vd.transpose() * p;
  mag = Vd.cwiseAbs().transpose() * p;
}

// A random attention problem with its float64 answer.
struct AttnCase {
  std::vector<uint16_t> K, V;
  std::vector<float> q;
  float scale;
  VecD ref, mag;
};
inline AttnCase random_attention(std::mt19937_64& g, size_t n, size_t d) {
  AttnCase c{random_f16(g, n * d), random_f16(g, n * d), random_f32(g, d, -2, 2), 1.0f / std::sqrt(float(d)), {}, {}};
  attention_reference(c.K, c.V, c.q, n, d, c.scale, c.ref, c.mag);
  return c;
}

// Largest per-output error in units of that output's sum of |terms|.
// NaN (a poisoned output never written) counts as infinite.
inline double scaled_error(const std::vector<float>& y, const VecD& ref, const VecD& mag) {
  double worst = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double e = std::abs(double(y[i]) - ref[i]) / std::max(mag[i], 1e-30);
    if (!(e <= worst)) worst = std::isnan(e) ? INFINITY : e;
  }
  return worst;
}

}  // namespace msao::kernels::test
