// Presets and sampler of the uplink Markov model (network_model.hpp).
#include "workloads/network_model.hpp"

#include <cmath>

#include "sim/config/input_error.hpp"
#include "workloads/rng.hpp"

namespace msao {

namespace {

const std::vector<LinkModel>& presets() {
  // Medians: COST-ANCHORS.md (Ookla). Spreads, correlation times and the
  // 4G RTT are assumptions, documented in traces/README.md.
  static const std::vector<LinkModel> p = {
      {"wifi", 38.0, 0.35, 10.0, 20.0, 0.30, 0, 0, 0},
      {"4g", 8.6, 0.60, 5.0, 55.0, 0.30, 0, 0, 0},
      {"5g", 21.0, 0.60, 5.0, 47.0, 0.30, 0, 0, 0},
      {"outage", 8.6, 0.60, 5.0, 55.0, 0.30, 45.0, 3.0, 3.0},
  };
  return p;
}

}  // namespace

std::vector<std::string> link_model_names() {
  std::vector<std::string> n;
  for (const auto& m : presets()) n.push_back(m.name);
  return n;
}

const LinkModel& link_model(const std::string& name) {
  for (const auto& m : presets())
    if (m.name == name) return m;
  throw InputError("--kind", 0, "kind", "'" + name + "'", "wifi, 4g, 5g or outage (or static)");
}

NetworkTrace generate_network_trace(const LinkModel& m, double duration_s, double step_s, uint64_t seed) {
  Rng bw_rng(seed, "net/" + m.name + "/bandwidth"), rtt_rng(seed, "net/" + m.name + "/rtt"),
      out_rng(seed, "net/" + m.name + "/outage");
  const double phi = std::exp(-step_s / m.corr_s), innov = std::sqrt(1.0 - phi * phi);
  double xb = m.sigma_log_bw * bw_rng.normal(), xr = m.sigma_log_rtt * rtt_rng.normal();  // stationary start
  bool down = false;
  double next_switch = m.mean_up_s > 0 ? out_rng.exponential(m.mean_up_s) : INFINITY;
  NetworkTrace tr;
  tr.period_s = duration_s;
  const long steps = std::lround(duration_s / step_s);
  for (long i = 0; i < steps; ++i) {
    const double t = static_cast<double>(i) * step_s;
    while (t >= next_switch) {
      down = !down;
      next_switch += down ? m.min_outage_s + out_rng.exponential(m.mean_extra_outage_s) : out_rng.exponential(m.mean_up_s);
    }
    if (i > 0) {
      xb = phi * xb + innov * m.sigma_log_bw * bw_rng.normal();
      xr = phi * xr + innov * m.sigma_log_rtt * rtt_rng.normal();
    }
    tr.t_s.push_back(t);
    tr.bandwidth_Bps.push_back((down ? kOutageMbps : m.median_mbps * std::exp(xb)) * 1e6 / 8.0);
    tr.rtt_s.push_back(m.median_rtt_ms * std::exp(xr) / 1000.0);
  }
  return tr;
}

}  // namespace msao
