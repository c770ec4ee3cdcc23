// See triad.hpp. Plain loop: the compiler vectorises it and it is bound by
// memory, not by instruction set, at the sizes that matter.
#include "kernels/triad.hpp"

#include <algorithm>

#include "kernels/buffer.hpp"
#include "kernels/timing.hpp"

namespace msao::kernels {

void triad(double* a, const double* b, const double* c, double s, size_t n) {
  for (size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
}

double measure_triad_Bps(size_t n) {
  auto a = make_huge<double>(n), b = make_huge<double>(n), c = make_huge<double>(n);
  std::fill_n(a.get(), n, 0.0);  // fault every page in before timing
  std::fill_n(b.get(), n, 1.0);
  std::fill_n(c.get(), n, 2.0);
  const double t = best_seconds_per_call([&] { triad(a.get(), b.get(), c.get(), 3.0, n); }, 5, 0.1);
  return triad_bytes(n) / t;
}

}  // namespace msao::kernels
