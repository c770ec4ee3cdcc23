// Summary of a request set, printed by `msao trace stats`: per-column
// distributions (numeric: min, p10, median, p90, max, mean; names: counts),
// accuracies, the edge confidence calibration table, and what the joint MAS
// model implies: the pruning curve and MAS-correctness correlations.
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

// Share of the full-input correct answers expected to survive when every
// present modality keeps the fraction `keep` of its content (the mean of
// workloads/mas.hpp request_retention over correct answers), per model.
struct PruningPoint {
  double keep = 1, edge = 1, cloud = 1;
};
std::vector<PruningPoint> pruning_curve(const std::vector<Request>& rs, const std::vector<double>& keeps);

// Pearson correlation of two equal-length series (0 if either is constant).
double pearson(const std::vector<double>& x, const std::vector<double>& y);

// Pearson correlations over requests. A request's MAS is its visual
// modality's (image, else video, else audio) combined score.
struct MasCorrelations {
  double mas_vs_edge_correct = 0, mas_vs_cloud_correct = 0, confidence_vs_edge_correct = 0;
};
MasCorrelations mas_correlations(const std::vector<Request>& rs);

std::string trace_stats_report(const std::vector<Request>& rs);

}  // namespace msao
