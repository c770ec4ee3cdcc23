// The whole simulator against aggregate latencies of real serving runs
// (platforms/fidelity/serving.yaml; `msao validate --published` prints them
// after the single-request cases): each case is a loaded vLLM server, a
// model on a GPU under a request rate, simulated by running the cases
// file's scenario with the case's values set over it, with the prefix cache
// on and off. Mean time to first token, inter-token latency and request
// latency are compared with the measured means.
#pragma once
#include <array>
#include <ostream>
#include <string>
#include <vector>

namespace msao::cli {

// Mean latencies of one run, ms, over the requests after the warm-up.
struct ServingLatency {
  double ttft_ms = 0, itl_ms = 0, e2e_ms = 0;
  double cached_fraction = 0;  // of the prompt tokens, found in the prefix cache
  int requests = 0;            // requests the means are over
};

enum ServingMetric { kTtft = 0, kItl = 1, kE2e = 2 };
inline constexpr int kServingMetrics = 3;
const char* serving_metric_name(int metric);

struct ServingCase {
  std::string name, model, hardware, note, source;
  int tensor_parallel = 1, prompt_tokens = 1, output_tokens = 2, requests = 1, warmup_requests = 0;
  double rate_rps = 1;
  ServingLatency measured;          // itl_ms: (e2e - ttft) / (output_tokens - 1) of the measured means
  ServingLatency cached, uncached;  // simulated, the prefix cache on and off
  // Signed fractions: simulated / measured - 1.
  double error(const ServingLatency& sim, int metric) const;
  // The `--set` values the case puts over the cases file's scenario.
  std::vector<std::string> overrides(bool prefix_caching) const;
};

struct ServingErrors {
  std::array<double, kServingMetrics> median{}, worst{};  // |error| per metric over the cases
  double median_all = 0, worst_all = 0;                   // over every metric of every case
};

struct ServingReport {
  std::string scenario;  // the scenario every case runs (path as the cases file resolves it)
  std::vector<ServingCase> cases;  // in file order
  ServingErrors cached, uncached;
};

// Reads the cases file (catalog name "serving" or a path) and simulates each
// case twice. `only`: the names of the cases to run (empty: all); a name
// the file does not have is an InputError.
ServingReport validate_serving(const std::string& file = "serving", const std::vector<std::string>& only = {});
// |error| statistics of cases already simulated.
ServingErrors serving_errors(const std::vector<ServingCase>& cases, bool prefix_caching);
// Plain-text report: each case's measured and simulated means, then the statistics.
void print_serving(const ServingReport& r, std::ostream& out);
// The same as a Markdown section (appended to docs/results/fidelity.md).
std::string serving_markdown(const ServingReport& r);

}  // namespace msao::cli
