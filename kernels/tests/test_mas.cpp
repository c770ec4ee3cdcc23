// MAS path: constructed inputs with known answers (uniform attention,
// one dominant patch, identical / distinct frames, parallel / orthogonal
// embeddings), and the patch importance against a float64 reference.
#include <doctest/doctest.h>

#include <cmath>

#include "kernels/mas.hpp"
#include "kernels/tests/reference.hpp"
#include "workloads/mas.hpp"

using namespace msao::kernels;
using namespace msao::kernels::test;

TEST_CASE("uniform attention needs nearly every patch") {
  // All keys equal: every patch gets the same share, so covering 95% of the
  // mass takes ceil(0.95 N) of N patches.
  auto g = rng_for(6);
  const size_t heads = 2, tokens = 3, N = 100, d = 24;
  const auto q = random_f32(g, heads * tokens * d);
  const auto key = random_f32(g, d);
  std::vector<float> K(heads * N * d);
  for (size_t i = 0; i < heads * N; ++i) std::copy(key.begin(), key.end(), K.begin() + i * d);
  for (const Backend* be : available_backends()) {
    std::vector<float> imp(N);
    poison(imp);
    patch_importance(*be, q.data(), K.data(), heads, tokens, N, d, imp.data());
    for (float v : imp) CHECK(v == doctest::Approx(1.0 / N).epsilon(1e-5).scale(0));
    CHECK(coverage_fraction(imp.data(), N, 0.95) == doctest::Approx(0.95));
  }
}

TEST_CASE("one dominant patch gives spatial MAS 1 over N") {
  const size_t heads = 3, tokens = 2, N = 50, d = 16;
  std::vector<float> q(heads * tokens * d, 1.0f), K(heads * N * d);
  K.assign(K.size(), 0.0f);
  for (size_t h = 0; h < heads; ++h)
    for (size_t j = 0; j < d; ++j) K[(h * N + 17) * d + j] = 10.0f;  // patch 17 dominates: score 40 vs 0
  for (const Backend* be : available_backends()) {
    std::vector<float> imp(N);
    poison(imp);
    patch_importance(*be, q.data(), K.data(), heads, tokens, N, d, imp.data());
    CHECK(imp[17] > 0.99f);
    CHECK(coverage_fraction(imp.data(), N, 0.9) == doctest::Approx(1.0 / N));
  }
}

TEST_CASE("patch importance matches float64 reference on random activations") {
  auto g = rng_for(8);
  const size_t heads = 4, tokens = 5, N = 197, d = 37;
  const auto q = random_f32(g, heads * tokens * d), K = random_f32(g, heads * N * d);
  VecD ref = VecD::Zero(N);
  for (size_t h = 0; h < heads; ++h)
    for (size_t t = 0; t < tokens; ++t) {
      VecD s(N);
      for (size_t p = 0; p < N; ++p) {
        double acc = 0;
        for (size_t j = 0; j < d; ++j) acc += double(q[(h * tokens + t) * d + j]) * K[(h * N + p) * d + j];
        s[p] = acc / std::sqrt(double(d));
      }
      VecD e = (s.array() - s.maxCoeff()).exp();
      ref += e / e.sum();
    }
  ref /= double(heads * tokens);
  for (const Backend* be : available_backends()) {
    std::vector<float> imp(N);
    poison(imp);
    patch_importance(*be, q.data(), K.data(), heads, tokens, N, d, imp.data());
    CHECK(scaled_error(imp, ref, ref) <= kTolF32Acc);
  }
}

TEST_CASE("identical frames give temporal MAS 1 over F and distinct frames 1") {
  auto g = rng_for(9);
  const size_t F = 12, d = 64;
  const auto frame = random_f32(g, d);
  std::vector<float> same(F * d);
  for (size_t f = 0; f < F; ++f) std::copy(frame.begin(), frame.end(), same.begin() + f * d);
  // Each frame a random vector: hashes of independent directions differ in
  // about half of 128 bits, far beyond a threshold of 8.
  const auto distinct = random_f32(g, F * d);
  for (const Backend* be : available_backends()) {
    FrameHasher h(d, 128, 42);
    CHECK(temporal_fraction(*be, h, same.data(), F, d, 8) == doctest::Approx(1.0 / F));
    CHECK(temporal_fraction(*be, h, distinct.data(), F, d, 8) == doctest::Approx(1.0));
  }
}

TEST_CASE("modal relevance is the clamped cosine of the pooled embeddings") {
  auto g = rng_for(10);
  const size_t d = 40;
  const auto a = random_f32(g, 2 * d);
  std::vector<float> neg(a.size());
  for (size_t i = 0; i < a.size(); ++i) neg[i] = -2.0f * a[i];
  for (const Backend* be : available_backends()) {
    CHECK(modal_relevance(*be, a.data(), 2, a.data(), 2, d) == doctest::Approx(1.0));
    CHECK(modal_relevance(*be, a.data(), 2, neg.data(), 2, d) == 0.0);  // anti-correlated clamps to 0
  }
}

TEST_CASE("compute_mas combines the parts with the simulator's definition") {
  auto g = rng_for(11);
  const size_t heads = 2, tokens = 4, N = 64, d = 32, F = 6, Tm = 8;
  const auto q = random_f32(g, heads * tokens * d), K = random_f32(g, heads * N * d);
  const auto frames = random_f32(g, F * d), prompt = random_f32(g, tokens * d), mod = random_f32(g, Tm * d, 0, 1);
  MasInput in{q.data(), K.data(), heads, tokens, N, d, frames.data(), F, prompt.data(), mod.data(), Tm};
  for (const Backend* be : available_backends()) {
    const MasParts p = compute_mas(*be, in);
    CHECK(p.spatial > 0.0);
    CHECK(p.spatial <= 1.0);
    CHECK(p.combined == doctest::Approx(msao::combine_mas(p.spatial, p.temporal, p.modal)));
  }
}
