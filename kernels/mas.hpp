// The MAS path: the three Modality Activation Sparsity parts computed from
// early-layer activations, combined by msao::combine_mas (workloads/mas.hpp,
// the one definition the simulator also uses). Heavy inner loops go through
// a Backend, so the MAS path runs on scalar, AVX2 or NEON.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/backend.hpp"

namespace msao::kernels {

// Spatial. q: [heads][tokens][d] prompt-token queries; K: [heads][patches][d]
// patch keys. importance[p] = mean over heads and tokens of
// softmax_p(q·Kᵀ/√d).
void patch_importance(const Backend& be, const float* q, const float* K, size_t heads, size_t tokens, size_t patches,
                      size_t d, float* importance);
// Smallest fraction k/N of patches whose top-k importance covers
// target_share of the total mass. Uniform importance gives ceil(share*N)/N,
// one dominant patch 1/N.
double coverage_fraction(const float* importance, size_t patches, double target_share);

// Temporal. Random-hyperplane LSH: bit b of a frame's hash is the sign of
// its embedding's projection on plane b (planes drawn from a fixed seed so
// hashes are reproducible).
class FrameHasher {
 public:
  FrameHasher(size_t d, size_t bits, uint64_t seed);
  size_t words() const { return (bits_ + 63) / 64; }
  void hash(const Backend& be, const float* embedding, uint64_t* out);  // out: words()
  const std::vector<float>& planes() const { return planes_; }
  size_t bits() const { return bits_; }

 private:
  size_t d_, bits_;
  std::vector<float> planes_;  // [bits][d]
  std::vector<float> proj_;    // scratch
};
// Fraction of F frames kept: the first always, then each frame whose hash
// differs from the last kept frame's in more than `hamming_threshold` bits.
// kept_fraction works on hashes already computed ([F][words], e.g. on a GPU).
double kept_fraction(const uint64_t* hashes, size_t F, size_t words, size_t hamming_threshold);
double temporal_fraction(const Backend& be, FrameHasher& hasher, const float* frames, size_t F, size_t d,
                         size_t hamming_threshold);

// Modal: cosine of the mean-pooled prompt embedding ([Tp][d]) and the
// mean-pooled modality embedding ([Tm][d]), clamped to [0,1].
double modal_relevance(const Backend& be, const float* prompt, size_t Tp, const float* modality, size_t Tm, size_t d);

struct MasParts {
  double spatial = 1, temporal = 1, modal = 1, combined = 1;
};

// All three parts of one visual modality, combined. Spatial is taken on the
// patch keys K given (one image, or one representative frame of a video);
// temporal on the F per-frame embeddings; modal on the pooled prompt and
// modality embeddings.
struct MasInput {
  const float* q;       // [heads][tokens][d]
  const float* K;       // [heads][patches][d]
  size_t heads, tokens, patches, d;
  const float* frames;  // [F][d] per-frame embeddings (F = 1 for an image)
  size_t F;
  const float* prompt;  // [tokens][d] prompt embeddings
  const float* modality;  // [Tm][d] modality embeddings
  size_t Tm;
  double target_share = 0.9;
  size_t lsh_bits = 64, hamming_threshold = 8;
  uint64_t lsh_seed = 0x5eed;
};
MasParts compute_mas(const Backend& be, const MasInput& in);

}  // namespace msao::kernels
