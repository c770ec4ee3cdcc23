// STREAM-like triad, a[i] = b[i] + s*c[i], the yardstick for "fraction of
// this machine's memory bandwidth" in the benchmarks and the profile.
// Bytes are counted as STREAM does: 3 arrays x 8 bytes per element (the
// write-allocate read of `a` is not counted).
#pragma once
#include <cstddef>

namespace msao::kernels {

void triad(double* a, const double* b, const double* c, double s, size_t n);
inline double triad_bytes(size_t n) { return 3.0 * 8.0 * double(n); }

// Measured triad bandwidth in bytes/s over arrays of n doubles each.
double measure_triad_Bps(size_t n);

}  // namespace msao::kernels
