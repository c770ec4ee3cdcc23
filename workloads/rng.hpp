// Seeded random streams for everything in workloads/ that must give the same
// bytes for the same seed on every platform. Each component (a generator, the
// arrival process, one closed-loop user...) draws from its own
// std::mt19937_64 seeded from a hash of (seed, component name), so adding a
// draw in one component never shifts another. Samplers are hand-written
// (inverse CDF, Box-Muller) rather than std::*_distribution, whose algorithms
// the standard leaves to each library.
#pragma once
#include <cmath>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

namespace msao {

inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Seed of the stream named `component` under the run seed `seed`.
inline uint64_t stream_seed(uint64_t seed, std::string_view component) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a of the name
  for (unsigned char c : component) h = (h ^ c) * 0x100000001b3ULL;
  return splitmix64(seed ^ splitmix64(h));
}

// Stateless draws: the i-th value of the stream keyed `key` (a stream_seed or
// a per-request seed), the same whatever else was drawn and in whatever order.
// For draws that must not disturb a component's Rng sequence (a field added
// later) or that are asked for out of order (per-token draws).
inline uint64_t hash_bits(uint64_t key, uint64_t i) { return splitmix64(key ^ splitmix64(i)); }
// Uniform in [0,1), 53 random bits.
inline double hash_uniform(uint64_t key, uint64_t i) {
  return static_cast<double>(hash_bits(key, i) >> 11) * 0x1.0p-53;
}
// Standard normal from draws 2i and 2i+1 (Box-Muller).
inline double hash_normal(uint64_t key, uint64_t i) {
  const double u_pos = static_cast<double>((hash_bits(key, 2 * i) >> 11) + 1) * 0x1.0p-53;  // (0,1]
  return std::sqrt(-2.0 * std::log(u_pos)) * std::cos(6.283185307179586 * hash_uniform(key, 2 * i + 1));
}

class Rng {
 public:
  Rng(uint64_t seed, std::string_view component) : gen_(stream_seed(seed, component)) {}

  // Uniform in [0,1), 53 random bits.
  double uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  // Uniform in (0,1], safe for log().
  double uniform_pos() { return static_cast<double>((gen_() >> 11) + 1) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Integer uniform in [lo, hi].
  long long integer(long long lo, long long hi) {
    return lo + static_cast<long long>(uniform() * static_cast<double>(hi - lo + 1));
  }
  bool bernoulli(double p) { return uniform() < p; }
  // Exponential with the given mean (inverse CDF).
  double exponential(double mean) { return -mean * std::log(uniform_pos()); }
  // Standard normal (Box-Muller, one value per call).
  double normal() {
    const double kTwoPi = 6.283185307179586;
    return std::sqrt(-2.0 * std::log(uniform_pos())) * std::cos(kTwoPi * uniform());
  }
  // Log-normal given its median and the standard deviation of its log.
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
  // Logit-normal: 1/(1+exp(-(mu + sigma z))), a smooth distribution on (0,1).
  double logit_normal(double mu, double sigma) { return 1.0 / (1.0 + std::exp(-(mu + sigma * normal()))); }
  // Index drawn with probability proportional to weights.
  size_t categorical(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  std::mt19937_64 gen_;
};

}  // namespace msao
