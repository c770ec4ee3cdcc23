// Roofline: the one formula that turns a stage's work into seconds.
// time = max(flops / effective FLOP rate, bytes / effective bandwidth)
//        + launches * per-kernel launch overhead.
// The effective rates are the catalog's peak times its efficiency factor,
// or a profile's calibrated rates (see sim/cost/profile.hpp).
#pragma once
#include "sim/cost/hardware.hpp"

namespace msao::cost {

// Effective rates a roofline is evaluated with.
struct Rates {
  double flops = 0;     // achieved FLOP/s
  double bw = 0;        // achieved bytes/s
  double launch_s = 0;  // per kernel
  static Rates of(const Hardware& h) { return {h.effective_flops(), h.effective_bw(), h.launch_s}; }
};

double roofline_seconds(const Rates& r, double flops, double bytes, double launches);
double roofline_seconds(const Hardware& h, double flops, double bytes, double launches);
// True when the compute term dominates the memory term.
bool compute_bound(const Rates& r, double flops, double bytes);

}  // namespace msao::cost
