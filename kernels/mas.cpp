// MAS path implementation (see mas.hpp). The score GEMVs, projections and
// dot products run on the given backend; softmax, sort and Hamming counts are
// scalar, being O(N) beside the O(N·d) products.
#include "kernels/mas.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <random>

#include "workloads/mas.hpp"

namespace msao::kernels {

void patch_importance(const Backend& be, const float* q, const float* K, size_t heads, size_t tokens, size_t patches,
                      size_t d, float* importance) {
  std::vector<float> s(patches);
  std::vector<double> acc(patches, 0.0);
  const float scale = 1.0f / std::sqrt(float(d));
  for (size_t h = 0; h < heads; ++h) {
    const float* Kh = K + h * patches * d;
    for (size_t t = 0; t < tokens; ++t) {
      be.gemv_f32(Kh, q + (h * tokens + t) * d, s.data(), patches, d);
      float m = -INFINITY;
      for (size_t p = 0; p < patches; ++p) m = std::max(m, s[p] * scale);
      double sum = 0.0;
      for (size_t p = 0; p < patches; ++p) sum += (s[p] = std::exp(s[p] * scale - m));
      for (size_t p = 0; p < patches; ++p) acc[p] += s[p] / sum;
    }
  }
  const double inv = 1.0 / double(heads * tokens);
  for (size_t p = 0; p < patches; ++p) importance[p] = float(acc[p] * inv);
}

double coverage_fraction(const float* importance, size_t patches, double target_share) {
  if (patches == 0) return 1.0;
  std::vector<float> v(importance, importance + patches);
  std::sort(v.begin(), v.end(), std::greater<>());
  double total = 0.0;
  for (float x : v) total += x;
  // Relative slack so rounding in the sums does not cost a whole extra patch.
  const double need = target_share * total * (1.0 - 1e-6);
  double cum = 0.0;
  size_t k = 0;
  while (k < patches && cum < need) cum += v[k++];
  return double(std::max<size_t>(k, 1)) / double(patches);
}

FrameHasher::FrameHasher(size_t d, size_t bits, uint64_t seed) : d_(d), bits_(bits), planes_(bits * d), proj_(bits) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> n01(0.0f, 1.0f);
  for (float& x : planes_) x = n01(rng);
}

void FrameHasher::hash(const Backend& be, const float* embedding, uint64_t* out) {
  be.gemv_f32(planes_.data(), embedding, proj_.data(), bits_, d_);
  std::fill(out, out + words(), 0);
  for (size_t b = 0; b < bits_; ++b)
    if (proj_[b] >= 0.0f) out[b / 64] |= uint64_t(1) << (b % 64);
}

double kept_fraction(const uint64_t* hashes, size_t F, size_t words, size_t hamming_threshold) {
  if (F == 0) return 1.0;
  const uint64_t* kept = hashes;
  size_t n_kept = 1;
  for (size_t f = 1; f < F; ++f) {
    const uint64_t* cur = hashes + f * words;
    size_t dist = 0;
    for (size_t i = 0; i < words; ++i) dist += size_t(std::popcount(cur[i] ^ kept[i]));
    if (dist > hamming_threshold) {
      kept = cur;
      ++n_kept;
    }
  }
  return double(n_kept) / double(F);
}

double temporal_fraction(const Backend& be, FrameHasher& hasher, const float* frames, size_t F, size_t d,
                         size_t hamming_threshold) {
  const size_t w = hasher.words();
  std::vector<uint64_t> hashes(F * w);
  for (size_t f = 0; f < F; ++f) hasher.hash(be, frames + f * d, hashes.data() + f * w);
  return kept_fraction(hashes.data(), F, w, hamming_threshold);
}

static void mean_pool(const float* x, size_t T, size_t d, std::vector<float>& out) {
  out.assign(d, 0.0f);
  for (size_t t = 0; t < T; ++t)
    for (size_t j = 0; j < d; ++j) out[j] += x[t * d + j];
  for (float& v : out) v /= float(T);
}

double modal_relevance(const Backend& be, const float* prompt, size_t Tp, const float* modality, size_t Tm, size_t d) {
  std::vector<float> a, b;
  mean_pool(prompt, Tp, d, a);
  mean_pool(modality, Tm, d, b);
  float ab, aa, bb;
  be.gemv_f32(a.data(), b.data(), &ab, 1, d);
  be.gemv_f32(a.data(), a.data(), &aa, 1, d);
  be.gemv_f32(b.data(), b.data(), &bb, 1, d);
  if (aa <= 0.0f || bb <= 0.0f) return 0.0;
  return msao::clamp01(double(ab) / std::sqrt(double(aa) * double(bb)));
}

MasParts compute_mas(const Backend& be, const MasInput& in) {
  MasParts r;
  std::vector<float> imp(in.patches);
  patch_importance(be, in.q, in.K, in.heads, in.tokens, in.patches, in.d, imp.data());
  r.spatial = coverage_fraction(imp.data(), in.patches, in.target_share);
  FrameHasher hasher(in.d, in.lsh_bits, in.lsh_seed);
  r.temporal = temporal_fraction(be, hasher, in.frames, in.F, in.d, in.hamming_threshold);
  r.modal = modal_relevance(be, in.prompt, in.tokens, in.modality, in.Tm, in.d);
  r.combined = msao::combine_mas(r.spatial, r.temporal, r.modal);
  return r;
}

}  // namespace msao::kernels
