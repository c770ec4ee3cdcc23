// run_metrics: what a sweep child sends back about one run, and how the
// parent reads it. Every metric of summary.json becomes a named number
// (nested ones flattened, latency_ms.p95 -> latency_ms_p95), so a metric the
// summary gains appears in the results table without touching the sweep.
// Wall time is left out: equal inputs must give byte-identical tables. The
// latency distribution travels too (101 percentiles), for CDF plots.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "sim/metrics/summary.hpp"

namespace msao::dse {

using Metrics = std::vector<std::pair<std::string, double>>;

// Summary metrics in summary.json order, flattened.
Metrics flatten_summary(const Summary& s);
// Metric names (the results table's metric columns).
std::vector<std::string> metric_names();

struct RunMetrics {
  Metrics metrics;
  std::string latency_cdf_ms;  // "p0,p1,...,p100" of completed requests' latency, ms
};

// Runs the base scenario with overrides in this process (call it in a fork).
RunMetrics run_point(const std::string& base, const std::vector<std::string>& overrides);

std::string encode(const RunMetrics& m);
// Throws std::runtime_error on a malformed payload.
RunMetrics decode(const std::string& payload);

}  // namespace msao::dse
