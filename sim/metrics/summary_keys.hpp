// summary.json's keys, as one table: each key's name and how its value is
// written from a Summary, in the file's order. summary_json writes the
// table, so a new metric is one entry here plus its computation in the
// Summary (docs/metrics.md describes each).
#pragma once
#include <nlohmann/json.hpp>
#include <span>

#include "sim/metrics/summary.hpp"

namespace msao {

struct SummaryKey {
  const char* name;
  void (*write)(nlohmann::ordered_json& value, const Summary& s);
  bool wall_clock = false;  // differs between equal runs: left out when only the run's results are wanted
  // A metric of a feature the run may not use: written only when this says
  // so (null: always), so a run without the feature writes what it wrote
  // before the metric existed. Metric tables (sweeps) always have it.
  bool (*present)(const Summary& s) = nullptr;
};

std::span<const SummaryKey> summary_keys();

}  // namespace msao
