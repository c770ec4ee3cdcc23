// See validate.hpp. Sizes are multiples of the device's beyond-cache working
// set (1/2, 1 and 2 of it), where a bandwidth roofline is meant to hold; the
// smallest shows how far the prediction drifts as caches start to help.
#include "kernels/validate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace msao::kernels {

ValidationResult validate(Device& dev, const Calibration& cal, std::ostream& log) {
  ValidationResult res;
  auto report = [&](ValidationRow row) {
    row.predicted_s = roofline_seconds(cal, row.flops, row.bytes);
    char line[200];
    std::snprintf(line, sizeof line, "  %-18s %-16s %9.3f MB  predicted %9.4f ms  measured %9.4f ms  error %+6.1f%%\n",
                  row.kernel.c_str(), row.shape.c_str(), row.bytes / 1e6, row.predicted_s * 1e3,
                  row.measured_s * 1e3, 100.0 * row.rel_err());
    log << line << std::flush;
    res.rows.push_back(row);
  };
  log << "validating " << dev.name() << " against B=" << cal.mem_bw_Bps << " B/s, F=" << cal.flops
      << " FLOP/s, launch=" << cal.launch_overhead_s << " s\n";
  const double S = double(dev.beyond_cache_bytes());
  const size_t group = 128, d = 128, splits = 16;
  for (double f : {0.5, 1.0, 2.0}) {
    // fp16 GEMV, 2:1 aspect (an MLP up-projection shape)
    size_t cols = size_t(std::sqrt(f * S / 4.0)) / 64 * 64, rows = 2 * cols;
    report({"gemv_f16", std::to_string(rows) + "x" + std::to_string(cols),
            2.0 * rows * cols + 4.0 * (rows + cols), 2.0 * rows * cols, 0, dev.time_gemv_f16(rows, cols)});
    // int8 GEMV with fp32 scales per 128 weights, same bytes of weights
    cols = size_t(std::sqrt(f * S / 2.0)) / group * group;
    rows = 2 * cols;
    const double ng = double(rows) * double(cols / group);
    report({"gemv_i8/g128", std::to_string(rows) + "x" + std::to_string(cols),
            double(rows) * cols + 4.0 * (ng + rows + cols), 2.0 * rows * cols, 0,
            dev.time_gemv_i8(rows, cols, group)});
    // attention: K and V fp16, n keys of width 128
    const size_t n = size_t(f * S / (4.0 * d));
    report({"decode_attn/d128", "n=" + std::to_string(n), 4.0 * n * d, 4.0 * n * d, 0,
            dev.time_decode_attention(n, d, splits)});
  }
  std::vector<double> errs;
  for (const auto& r : res.rows) errs.push_back(std::abs(r.rel_err()));
  std::sort(errs.begin(), errs.end());
  const size_t m = errs.size();
  res.median_abs_err = m == 0 ? 0 : (m % 2 ? errs[m / 2] : 0.5 * (errs[m / 2 - 1] + errs[m / 2]));
  char line[120];
  std::snprintf(line, sizeof line, "median |error| %.1f%% over %zu sizes (target <= 5%%)\n", 100 * res.median_abs_err, m);
  log << line;
  return res;
}

}  // namespace msao::kernels
