// The MSAO paper's reported figures (arXiv 2604.02945), as data: read from
// platforms/paper/msao.json, the one place they are written, which also
// gives their source. `msao reproduce paper` compares against them; the
// figure scripts (scripts/plot_reproduce.py, scripts/claims-map) read the
// same file.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace msao::dse {

struct PaperReduction {
  std::string quantity, against, text;  // e.g. "mean latency", "cloud-only", "> 50%"
  double lo = 0, hi = 0;                // the range msao's reduction must fall in, percent
};

struct PaperFigures {
  // Keyed "dataset@bandwidth" (e.g. "vqav2@200Mbps"), then method.
  std::map<std::string, std::map<std::string, double>> accuracy_pct, tokens_per_s;
  std::map<std::string, double> peak_memory_gb;  // by method, at 200 Mbit/s, side not stated
  std::vector<PaperReduction> reductions;
  double throughput_gain_lo = 0, throughput_gain_hi = 0;  // the abstract's gain over the baselines
  double speculation_off_higher_pct = 0;
  std::map<std::string, double> mas_off_points_lost;  // "dataset@bandwidth" -> accuracy points
  // A figure of the maps above; an InputError naming the file and key when absent.
  double at(const std::map<std::string, std::map<std::string, double>>& table, const std::string& setting,
            const std::string& method) const;
  std::string path;
};

// Default: platforms/paper/msao.json under the repository root. A missing
// file, bad JSON or a missing or mistyped key is an InputError.
PaperFigures load_paper_figures(const std::string& path = "");

}  // namespace msao::dse
