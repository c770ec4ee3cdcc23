// The runs of `msao reproduce paper` as the report reads them: one Cell per
// dataset x bandwidth x serving stack x method x load, read from the
// sweep's results.sqlite, and the few number formats and averages the
// report's tables share (sim/dse/paper_report.cpp, sim/dse/paper_claims.cpp).
#pragma once
#include <cmath>
#include <map>
#include <string>

#include "sim/dse/paper_report.hpp"

namespace msao::dse {

struct Cell {
  double accuracy = NAN, tok_s = NAN, latency_ms = NAN, flops = NAN, mem_edge = NAN, mem_cloud = NAN, uplink = NAN,
         tpot_ms = NAN, rps = NAN, edge_fraction = NAN;
  // Peak memory parts, GB: weights, KV, activations, runtime; edge then cloud.
  double parts[2][4] = {{NAN, NAN, NAN, NAN}, {NAN, NAN, NAN, NAN}};
};
using Cells = std::map<std::string, Cell>;  // "dataset|bandwidth|serving|method|load"

inline constexpr const char* kMemoryParts[4] = {"weights", "kv", "activations", "runtime"};

std::string cell_key(const std::string& ds, const std::string& bw, const std::string& serving, const std::string& method,
                     const std::string& load);
// An InputError when the file is not a reproduce run's results.
Cells read_cells(const std::string& db_path);
// A run's cell, or an empty one (every figure NaN) when it did not run.
Cell get_cell(const Cells& cells, const std::string& ds, const std::string& bw, const std::string& serving,
              const std::string& method, const std::string& load);

// printf of one number; "n/a" for NaN.
std::string fmt_number(const char* fmt, double v);
// A reduction in percent as words: "30.1% lower", "19.2% higher", "n/a".
std::string change(double reduction_pct);

// Relative reduction of `ours` against `base` at the offered load, percent,
// averaged over every paper setting both ran.
double mean_reduction(const Cells& cells, const std::string& serving, const std::string& ours, const std::string& base,
                      double Cell::*field);

// Mean over the six paper settings of a figure computed from each setting's cells (NaN ones left out).
template <typename Fn>
double mean_over_settings(Fn figure) {
  double sum = 0;
  int n = 0;
  for (const auto& ds : kPaperDatasets)
    for (const auto& bw : kPaperBandwidths)
      if (double v = figure(ds, bw); !std::isnan(v)) sum += v, ++n;
  return n ? sum / n : NAN;
}

}  // namespace msao::dse
