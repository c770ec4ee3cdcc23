// `msao profile`: measures a device's effective rates with the real kernels
// and writes the `calibration:` section of a profile the cost model reads
// (traces/profiles/*.yaml; the keys are the cost model's).
#pragma once
#include <iosfwd>
#include <string>

#include "kernels/device.hpp"

namespace msao::kernels {

struct Calibration {
  std::string hardware;         // platforms/hardware entry it calibrates
  double mem_bw_Bps = 0;        // effective streaming bandwidth (decode kernels beyond the caches)
  double flops = 0;             // effective dense fp32 FLOP/s
  double launch_overhead_s = 0; // per kernel call, measured on a tiny GEMV
  double mas_s_per_token = 0;   // MAS path cost per visual token
  std::string device;           // Device::name() it was measured on (empty in older profiles)
};

struct ProfileReport {
  Calibration cal;
  std::string device;  // Device::name()
  std::string date;    // UTC, YYYY-MM-DD
  double triad_Bps = 0;
};

// hardware: the entry to name; empty takes the device's default.
ProfileReport measure_profile(Device& dev, const std::string& hardware, std::ostream& log);

// Where `msao profile` writes and `msao validate` reads by default: the CPU
// profile is traces/profiles/generic-cpu.yaml, a GPU's is named after its
// hardware entry (h100-sxm unless given).
inline std::string default_profile_path(const std::string& device, const std::string& hardware) {
  if (device != "cuda") return "traces/profiles/generic-cpu.yaml";
  return "traces/profiles/" + (hardware.empty() ? std::string("h100-sxm") : hardware) + ".yaml";
}

// Writes atomically (temporary file in the same directory, then rename), so
// a reader never sees half a profile; creates the directory if needed.
void write_profile(const ProfileReport& r, const std::string& path);
// Reads the calibration section back (for validate).
Calibration read_calibration(const std::string& path);

// Roofline prediction the cost model makes: max(flops/F, bytes/B) + launch.
inline double roofline_seconds(const Calibration& c, double flops, double bytes) {
  const double tc = flops / c.flops, tm = bytes / c.mem_bw_Bps;
  return (tc > tm ? tc : tm) + c.launch_overhead_s;
}

}  // namespace msao::kernels
