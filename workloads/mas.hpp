// The one definition of the combined Modality Activation Sparsity (MAS)
// score, shared by the workload generators, the policies and the kernel
// backend (kernels/ computes the three parts from activations; this file
// says how they combine). Header-only so kernels/ can use it without the
// simulator core.
//
// Parts, each in [0,1]:
//   spatial  - fraction of image patches needed to cover the target share of
//              the prompt's attention mass (1 = every patch matters);
//   temporal - fraction of frames that are not near-duplicates of the last
//              kept frame (1 = no redundancy; images and audio clips use 1
//              unless the workload says otherwise);
//   modal    - cosine relevance of the prompt to the modality, clamped to [0,1].
// Combined: the fraction of the modality's content that matters, scaled by
// how relevant the modality is at all:  mas = spatial * temporal * modal.
// The content a policy must keep to lose nothing is spatial * temporal (see
// needed_fraction); modal decides whether the modality is needed at all.
#pragma once
#include <algorithm>

namespace msao {

inline double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

inline double combine_mas(double spatial, double temporal, double modal) {
  return clamp01(spatial) * clamp01(temporal) * clamp01(modal);
}

// Fraction of a modality's content (patches x frames) that carries the
// attention mass the MAS parts describe.
inline double needed_fraction(double spatial, double temporal) { return clamp01(spatial) * clamp01(temporal); }

}  // namespace msao
