// See profile.hpp. Bandwidth is taken from the decode kernels themselves
// (median of fp16 GEMV, int8 GEMV and attention beyond the caches) rather
// than from the triad, because the cost model predicts kernels, and a
// read-only stream behaves differently from a triad with its write traffic;
// the triad is logged for comparison.
#include "kernels/profile.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <stdexcept>
#include <unistd.h>

namespace msao::kernels {

namespace {
std::string utc_date() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
  return buf;
}
}  // namespace

ProfileReport measure_profile(Device& dev, const std::string& hardware, std::ostream& log) {
  ProfileReport r;
  r.device = dev.name();
  r.date = utc_date();
  r.cal.hardware = hardware.empty() ? dev.hardware_hint() : hardware;
  const size_t S = dev.beyond_cache_bytes();
  log << "profiling " << r.device << "\n";

  r.triad_Bps = dev.triad_Bps(S / 8);
  log << "  triad bandwidth       " << r.triad_Bps << " B/s (3 arrays of " << (S >> 20) << " MiB)\n";

  // The decode kernels streaming S bytes each: fp16 GEMV, int8 GEMV (group
  // 128) and split-KV attention (d = 128). Their median effective bandwidth
  // is the one B the roofline uses for all of them.
  const size_t n16 = size_t(std::sqrt(double(S) / 2.0)) / 64 * 64;
  const size_t n8 = size_t(std::sqrt(double(S))) / 128 * 128;
  const size_t keys = S / (4 * 128);
  const double bw[3] = {
      (2.0 * double(n16) * double(n16) + 8.0 * double(n16)) / dev.time_gemv_f16(n16, n16),
      (double(n8) * double(n8) * (1.0 + 4.0 / 128) + 8.0 * double(n8)) / dev.time_gemv_i8(n8, n8, 128),
      4.0 * 128.0 * double(keys) / dev.time_decode_attention(keys, 128, 16)};
  log << "  GEMV fp16 " << n16 << "x" << n16 << "  " << bw[0] << " B/s (" << bw[0] / r.triad_Bps << " of triad)\n";
  log << "  GEMV int8 " << n8 << "x" << n8 << "  " << bw[1] << " B/s (" << bw[1] / r.triad_Bps << " of triad)\n";
  log << "  attention n=" << keys << " " << bw[2] << " B/s (" << bw[2] / r.triad_Bps << " of triad)\n";
  r.cal.mem_bw_Bps = std::max(std::min(bw[0], bw[1]), std::min(std::max(bw[0], bw[1]), bw[2]));  // median
  log << "  effective bandwidth   " << r.cal.mem_bw_Bps << " B/s (median of the three)\n";

  r.cal.flops = dev.dense_flops();
  log << "  dense fp32            " << r.cal.flops << " FLOP/s\n";

  r.cal.launch_overhead_s = dev.time_gemv_f16(1, 64);
  log << "  per-call overhead     " << r.cal.launch_overhead_s << " s (1x64 GEMV)\n";

  // One 24x24-patch image, 16 heads, 32 prompt tokens, head width 64.
  const size_t patches = 576;
  r.cal.mas_s_per_token = dev.time_mas(16, 32, patches, 64) / double(patches);
  log << "  MAS per visual token  " << r.cal.mas_s_per_token << " s\n";
  return r;
}

void write_profile(const ProfileReport& r, const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  const fs::path tmp = target.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp);
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
    char line[512];
    out << "# measured by `msao profile` on " << r.date << " (" << r.device << ")\n";
    std::snprintf(line, sizeof line, "# STREAM triad on the same machine: %.3g B/s\n", r.triad_Bps);
    out << line;
    out << "calibration:\n";
    out << "  hardware: " << r.cal.hardware << "      # the platforms/hardware entry it calibrates\n";
    out << "  device: \"" << r.device << "\"  # measured on (msao validate refuses another)\n";
    std::snprintf(line, sizeof line,
                  "  mem_bw_Bps: %.4g        # effective streaming bandwidth (median of GEMV fp16/int8 and attention)\n"
                  "  flops: %.4g             # effective dense fp32 FLOP/s\n"
                  "  launch_overhead_s: %.4g # per kernel call (tiny GEMV)\n"
                  "  mas_s_per_token: %.4g   # MAS path per visual token\n",
                  r.cal.mem_bw_Bps, r.cal.flops, r.cal.launch_overhead_s, r.cal.mas_s_per_token);
    out << line;
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, target);
}

Calibration read_calibration(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  const YAML::Node c = root["calibration"];
  if (!c || !c.IsMap()) throw std::runtime_error(path + ": no calibration section");
  Calibration cal;
  auto num = [&](const char* key, bool required) {
    if (!c[key]) {
      if (required) throw std::runtime_error(path + ": calibration." + key + " missing");
      return 0.0;
    }
    const double v = c[key].as<double>();
    if (!(v >= 0) || !std::isfinite(v)) throw std::runtime_error(path + ": calibration." + key + " must be >= 0");
    return v;
  };
  cal.hardware = c["hardware"] ? c["hardware"].as<std::string>() : "";
  cal.device = c["device"] ? c["device"].as<std::string>() : "";
  cal.mem_bw_Bps = num("mem_bw_Bps", true);
  cal.flops = num("flops", true);
  cal.launch_overhead_s = num("launch_overhead_s", false);
  cal.mas_s_per_token = num("mas_s_per_token", false);
  if (cal.mem_bw_Bps <= 0 || cal.flops <= 0)
    throw std::runtime_error(path + ": calibration.mem_bw_Bps and flops must be positive");
  return cal;
}

}  // namespace msao::kernels
