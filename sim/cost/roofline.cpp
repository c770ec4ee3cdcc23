#include "sim/cost/roofline.hpp"

#include <algorithm>

namespace msao::cost {

double roofline_seconds(const Rates& r, double flops, double bytes, double launches) {
  return std::max(flops / r.flops, bytes / r.bw) + launches * r.launch_s;
}

double roofline_seconds(const Hardware& h, double flops, double bytes, double launches) {
  return roofline_seconds(Rates::of(h), flops, bytes, launches);
}

bool compute_bound(const Rates& r, double flops, double bytes) { return flops / r.flops >= bytes / r.bw; }

}  // namespace msao::cost
