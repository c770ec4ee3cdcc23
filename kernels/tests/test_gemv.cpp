// GEMV kernels (fp32, fp16, int8 with group scales) and the fp16 GEMM on every backend against
// float64 Eigen references, on random odd shapes that exercise SIMD tails.
#include <doctest/doctest.h>

#include "kernels/backend.hpp"
#include "kernels/tests/reference.hpp"

using namespace msao::kernels;
using namespace msao::kernels::test;

namespace {

// Odd and even shapes: tails of 1..31 behind the 32-wide main loops.
const size_t kShapes[][2] = {{1, 1}, {3, 7}, {17, 33}, {64, 64}, {31, 257}, {129, 1000}, {5, 4099}};

void expect_gemv(const MatD& W, const std::vector<float>& x, const std::vector<float>& y, const char* what) {
  const VecD xd = to_vec(x);
  const VecD ref = W * xd;
  const VecD mag = W.cwiseAbs() * xd.cwiseAbs();
  const double err = scaled_error(y, ref, mag);
  INFO(what << " " << W.rows() << "x" << W.cols() << " scaled error " << err);
  CHECK(err <= kTolF32Acc);
}

}  // namespace

TEST_CASE("every backend available here is listed") {
  const auto all = available_backends();
  std::string names;
  for (auto* b : all) names += std::string(b->name) + " ";
  MESSAGE("backends under test: " << names);
#if defined(__aarch64__)
  CHECK(neon_backend() != nullptr);  // the NEON run must really test NEON
#endif
  CHECK(&best_backend() == all.back());
}

TEST_CASE("gemv fp32 matches float64 reference") {
  auto g = rng_for(1);
  for (auto [rows, cols] : kShapes) {
    const auto W = random_f32(g, rows * cols), x = random_f32(g, cols);
    MatD Wd(rows, cols);
    for (size_t i = 0; i < rows * cols; ++i) Wd.data()[i] = W[i];
    for (const Backend* be : available_backends()) {
      std::vector<float> y(rows);
      poison(y);
      be->gemv_f32(W.data(), x.data(), y.data(), rows, cols);
      expect_gemv(Wd, x, y, be->name);
    }
  }
}

TEST_CASE("gemv fp16 weights with fp32 accumulation matches float64 reference") {
  auto g = rng_for(2);
  for (auto [rows, cols] : kShapes) {
    const auto W = random_f16(g, rows * cols);
    const auto x = random_f32(g, cols);
    const MatD Wd = decode_f16(W, rows, cols);
    std::vector<float> y_scalar(rows);
    scalar_backend().gemv_f16(W.data(), x.data(), y_scalar.data(), rows, cols);
    for (const Backend* be : available_backends()) {
      std::vector<float> y(rows);
      poison(y);
      be->gemv_f16(W.data(), x.data(), y.data(), rows, cols);
      expect_gemv(Wd, x, y, be->name);
      // and against the scalar reference, with the same bound
      const VecD ys = to_vec(y_scalar), mag = Wd.cwiseAbs() * to_vec(x).cwiseAbs();
      CHECK(scaled_error(y, ys, mag) <= kTolF32Acc);
    }
  }
}

TEST_CASE("gemv int8 with per-group scales matches float64 reference") {
  auto g = rng_for(3);
  for (size_t group : {32, 64, 128}) {
    for (auto [rows, cols] : kShapes) {
      const size_t ngroups = (cols + group - 1) / group;
      const auto W = random_i8(g, rows * cols);
      const auto scales = random_f32(g, rows * ngroups, 0.001f, 0.02f);
      const auto x = random_f32(g, cols);
      const MatD Wd = dequant_i8(W, scales, group, rows, cols);
      for (const Backend* be : available_backends()) {
        std::vector<float> y(rows);
        poison(y);
        be->gemv_i8(W.data(), scales.data(), group, x.data(), y.data(), rows, cols);
        INFO("group " << group);
        expect_gemv(Wd, x, y, be->name);
      }
    }
  }
}

TEST_CASE("fp16 conversion round-trips and matches the hardware converters") {
  // Every finite half decodes and re-encodes to itself; the SIMD paths are
  // checked indirectly by the fp16 GEMV against this decoder.
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const uint16_t x = uint16_t(h);
    if ((x & 0x7c00) == 0x7c00) continue;  // inf/nan
    if (float_to_half(half_to_float(x)) != x) {
      FAIL("half " << h << " does not round-trip");
    }
  }
  CHECK(float_to_half(1.0f) == 0x3c00);
  CHECK(float_to_half(65520.0f) == 0x7c00);  // rounds to inf
  CHECK(half_to_float(0x0001) == doctest::Approx(5.960464477539063e-8));
  CHECK(half_to_float(0x0001) == 0x1p-24f);  // exact: the smallest subnormal
}

TEST_CASE("gemm fp16 over T tokens matches float64 reference, token blocks and row blocks included") {
  auto g = rng_for(9);
  // Token counts across the 64-token blocks; widths that give row blocks of
  // 1 (cols 40000: a row over the block size), many, and a short last block.
  const size_t shapes[][3] = {{1, 3, 7}, {5, 17, 33}, {64, 64, 64}, {70, 31, 257}, {3, 2, 40000}, {130, 129, 100}};
  for (const auto& s : shapes) {
    const size_t T = s[0], rows = s[1], cols = s[2];
    const auto W = random_f16(g, rows * cols);
    const auto X = random_f32(g, T * cols);
    const MatD Wd = decode_f16(W, rows, cols);
    for (const Backend* be : available_backends()) {
      std::vector<float> Y(T * rows);
      poison(Y);
      be->gemm_f16(W.data(), X.data(), Y.data(), T, rows, cols);
      for (size_t t = 0; t < T; ++t) {
        const std::vector<float> x(X.begin() + t * cols, X.begin() + (t + 1) * cols);
        const std::vector<float> y(Y.begin() + t * rows, Y.begin() + (t + 1) * rows);
        expect_gemv(Wd, x, y, be->name);
      }
    }
  }
}
