// Markov model of a varying uplink, used by `msao trace net-gen` to make the
// bundled Wi-Fi, 4G, 5G and outage traces reproducibly. Log-bandwidth and
// log-RTT each follow a stationary Gauss-Markov (AR(1)) process sampled every
// step_s, so bandwidth is log-normal with exactly the preset's median and
// log-spread, and correlated over about corr_s seconds. The outage preset
// adds a two-state up/down chain: while down, bandwidth is kOutageMbps
// (SimGrid needs bandwidth > 0). Presets and their sources: traces/README.md.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/network_trace.hpp"

namespace msao {

// 1 kbit/s: "no usable uplink" while staying a valid SimGrid bandwidth.
inline constexpr double kOutageMbps = 0.001;

struct LinkModel {
  std::string name;
  double median_mbps = 0, sigma_log_bw = 0, corr_s = 1;
  double median_rtt_ms = 0, sigma_log_rtt = 0;
  double mean_up_s = 0;        // outage chain: mean time between outages (0 = no outages)
  double min_outage_s = 0;     // outage length = min_outage_s + exponential(mean_extra_outage_s)
  double mean_extra_outage_s = 0;
};

// Presets: wifi, 4g, 5g, outage. Unknown name: InputError.
const LinkModel& link_model(const std::string& name);
std::vector<std::string> link_model_names();

// duration_s of samples every step_s, looping with period duration_s.
NetworkTrace generate_network_trace(const LinkModel& m, double duration_s, double step_s, uint64_t seed);

}  // namespace msao
