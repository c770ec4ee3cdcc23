// `msao validate --published`: the cost model against published serving
// measurements (platforms/fidelity/published.yaml): each case is a request
// on a catalog model, hardware and serving stack, simulated by the cost
// model and compared with the figure its source printed. Calibration cases
// (a catalog constant was derived from them) are listed apart and left out
// of the error statistics.
#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace msao::cli {

struct PublishedCase {
  std::string model, hardware, serving, role, note, source;
  // What the figure times: the output tokens over the prefill and every
  // decode step (`stage: request`, the default), or the decode steps alone
  // (`stage: decode`, for sources that report a per-token generation
  // latency; measured_tokens_s is then 1 / that latency).
  bool decode_only = false;
  int prompt_tokens = 1, output_tokens = 1;
  double measured_tokens_s = 0, simulated_tokens_s = 0;
  double error() const { return simulated_tokens_s / measured_tokens_s - 1; }  // signed, fraction
};

struct PublishedReport {
  std::vector<PublishedCase> cases;  // in file order
  double median_abs_error = 0, worst_abs_error = 0;  // over predicted cases only
  int predicted = 0, calibration = 0;
};

// The median (0 for none); the mean of the middle two for an even count.
double median_of(std::vector<double> v);

// Reads the cases file (catalog name "published" or a path) and simulates each.
PublishedReport validate_published(const std::string& file = "published");
// Plain-text report: predicted cases, then calibration cases, then the statistics.
void print_published(const PublishedReport& r, std::ostream& out);
// The same as a Markdown page (docs/results/fidelity.md is this output).
std::string published_markdown(const PublishedReport& r);

}  // namespace msao::cli
