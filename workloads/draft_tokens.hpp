// Per-token draft/full agreement: for the token-level draft/verify engine
// (the edge's small model drafts output tokens, the cloud's full model
// verifies a run of them in one pass and keeps the longest agreeing prefix).
// Model, formulas and sources: docs/speculation-model.md.
//
// Agreement. Each drafted position agrees with the cloud model's token with
// probability alpha_r = r.draft_acceptance, independently of the others: the
// i.i.d. acceptance model of Leviathan, Kalman and Matias, "Fast Inference
// from Transformers via Speculative Decoding" (ICML 2023), under which one
// pass over gamma drafted tokens accepts a truncated-geometric prefix with
// mean sum_{i=1..gamma} alpha^i = alpha (1 - alpha^gamma) / (1 - alpha).
//
// Confidence. The edge's confidence in drafted token t is
//   q_t = U1^(1/alpha_r - 1)        (mean exactly alpha_r),
// and the token agrees iff U2 < q_t, with U1, U2 independent uniforms. So the
// agreement marginal is Bernoulli(alpha_r) as above, and the confidence is
// calibrated: P(agree | q_t = q) = q. Calibration is what the literature
// observes and exploits: EAGLE-2 (Li et al., arXiv 2406.16858) finds the
// draft model's confidence scores approximate acceptance rates with small
// errors and grows its draft tree where they are high; SpecDec++ (Huang, Guo
// and Wang, arXiv 2405.19715, COLM 2025) stops drafting once the predicted
// probability of a rejection exceeds a threshold. Confidence is informative:
// E[q | agree] = E[q^2]/alpha_r > alpha_r > E[q | disagree]. Its centre is
// alpha_r, which the generators tie to the request's edge_confidence
// (gen::draft_acceptance_rule, workloads/gen_common.hpp): a confident edge
// model drafts confident, mostly accepted tokens.
//
// Draws. U1 and U2 of position `step` hash (r.token_seed, step): no RNG
// state, so any order of calls, by any number of callers, gives the same
// answers. Not modelled: agreement is not conditioned on the request's
// correctness flags, nor correlated between positions.
#pragma once
#include "sim/request.hpp"

namespace msao {

struct DraftToken {
  bool agrees;        // the edge's token equals the cloud model's at this position
  double confidence;  // the edge model's confidence in its token, [0,1], calibrated
};

// The edge model drafting output position `step` (0-based) of r: whether its
// token agrees with the cloud model's (Bernoulli(r.draft_acceptance), i.i.d.
// per step, drawn by hashing (r.token_seed, step): no RNG state, so any order
// of calls gives the same answers), and the edge's confidence in that token,
// in [0,1]. step < 0 is treated as 0.
DraftToken draft_token(const Request& r, int step);

// Number of leading agreeing tokens among steps [from, from+n): what one
// verification pass accepts. 0 for n <= 0.
int accepted_prefix(const Request& r, int from, int n);

// Mean confidence of the drafted tokens [from, from+n) (n >= 1; n < 1 is
// std::invalid_argument).
double draft_confidence(const Request& r, int from, int n);

}  // namespace msao
