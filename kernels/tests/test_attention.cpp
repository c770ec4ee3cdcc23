// Split-KV decode attention on every backend against a float64 softmax
// reference; odd lengths, odd head widths and more splits than keys.
#include <doctest/doctest.h>

#include <cmath>

#include "kernels/decode.hpp"
#include "kernels/tests/reference.hpp"

using namespace msao::kernels;
using namespace msao::kernels::test;

TEST_CASE("split-KV decode attention matches float64 softmax reference") {
  auto g = rng_for(4);
  const size_t cases[][3] = {{1, 8, 1}, {5, 3, 8}, {77, 13, 3}, {200, 64, 4}, {1031, 128, 7}, {4096, 80, 16}};
  for (const auto& c : cases) {
    // Not a structured binding: clang 14 (the sanitizer build) cannot capture one in INFO's lambda.
    const size_t n = c[0], d = c[1], splits = c[2];
    const auto [K, V, q, scale, ref, mag] = random_attention(g, n, d);
    for (const Backend* be : available_backends()) {
      std::vector<float> out(d);
      poison(out);
      AttnPartials work;
      decode_attention(*be, q.data(), K.data(), V.data(), n, d, scale, splits, out.data(), work);
      const double err = scaled_error(out, ref, mag);
      INFO(be->name << " n=" << n << " d=" << d << " splits=" << splits << " scaled error " << err);
      CHECK(err <= kTolF32Acc);
    }
  }
}

TEST_CASE("merging splits does not depend on how the sequence is split") {
  auto g = rng_for(5);
  const size_t n = 999, d = 33;
  const auto K = random_f16(g, n * d), V = random_f16(g, n * d);
  const auto q = random_f32(g, d);
  const Backend& be = best_backend();
  AttnPartials work;
  std::vector<float> one(d), many(d);
  decode_attention(be, q.data(), K.data(), V.data(), n, d, 0.2f, 1, one.data(), work);
  poison(many);
  decode_attention(be, q.data(), K.data(), V.data(), n, d, 0.2f, 13, many.data(), work);
  for (size_t j = 0; j < d; ++j) CHECK(many[j] == doctest::Approx(one[j]).epsilon(1e-4).scale(1e-3));
}
