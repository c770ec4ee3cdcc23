// Portable sampling shared by sweeps (random and Latin-hypercube modes) and
// the tuner's initial design: the same seed gives the same points on every
// standard library, which std::uniform_real_distribution does not promise.
#pragma once
#include <cstddef>
#include <random>
#include <utility>
#include <vector>

namespace msao::dse {

// Uniform in [0, 1) from the top 53 bits.
inline double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// One axis of an n-point Latin-hypercube design: one point in each of the n
// strata of [0, 1), the strata shuffled (Fisher-Yates), a uniform offset in each.
inline std::vector<double> latin_hypercube_axis(size_t n, std::mt19937_64& rng) {
  std::vector<size_t> perm(n);
  for (size_t i = 0; i < n; ++i) perm[i] = i;
  for (size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[static_cast<size_t>(rng() % i)]);
  std::vector<double> u(n);
  for (size_t i = 0; i < n; ++i) u[i] = (static_cast<double>(perm[i]) + unit(rng)) / static_cast<double>(n);
  return u;
}

}  // namespace msao::dse
