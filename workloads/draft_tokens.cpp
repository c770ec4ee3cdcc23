// Per-token draft/full agreement; the model is described in draft_tokens.hpp.
#include "workloads/draft_tokens.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "workloads/rng.hpp"

namespace msao {

DraftToken draft_token(const Request& r, int step) {
  const uint64_t i = 2 * static_cast<uint64_t>(std::max(step, 0));
  const double u_conf = hash_uniform(r.token_seed, i), u_agree = hash_uniform(r.token_seed, i + 1);
  const double alpha = std::clamp(r.draft_acceptance, 0.0, 1.0);
  double q = 1.0;                       // alpha = 1: every token agrees, with full confidence
  if (alpha <= 0.0) q = 0.0;            // never agrees
  else if (alpha < 1.0) q = std::pow(u_conf, 1.0 / alpha - 1.0);  // mean alpha
  return {u_agree < q, q};
}

int accepted_prefix(const Request& r, int from, int n) {
  int k = 0;
  while (k < n && draft_token(r, from + k).agrees) ++k;
  return k;
}

double draft_confidence(const Request& r, int from, int n) {
  if (n < 1) throw std::invalid_argument("draft_confidence: n must be >= 1, got " + std::to_string(n));
  double sum = 0;
  for (int k = 0; k < n; ++k) sum += draft_token(r, from + k).confidence;
  return sum / n;
}

}  // namespace msao
