// Summary of a request set, printed by `msao trace stats`: per-column
// distributions (numeric: min, p10, median, p90, max, mean; names: counts),
// accuracies, and the edge confidence calibration table.
#pragma once
#include <string>
#include <vector>

#include "sim/request.hpp"

namespace msao {

struct CalibrationBin {
  double lo = 0, hi = 0;  // confidence range [lo, hi)
  size_t count = 0;
  double mean_confidence = 0, accuracy = 0;
};

// Ten equal-width bins of edge_confidence with the edge's accuracy in each.
std::vector<CalibrationBin> confidence_calibration(const std::vector<Request>& rs);

std::string trace_stats_report(const std::vector<Request>& rs);

}  // namespace msao
