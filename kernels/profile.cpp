// See profile.hpp. Bandwidth is taken from the fp16 GEMV (the decode path's
// dominant kernel) rather than from the triad, because the cost model
// predicts kernels, and a read-only stream behaves differently from a triad
// with its write traffic; the triad is logged for comparison.
#include "kernels/profile.hpp"

#include <yaml-cpp/yaml.h>

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

  // Square fp16 GEMV of S bytes of weights.
  const size_t n = size_t(std::sqrt(double(S) / 2.0));
  const double bytes = 2.0 * double(n) * double(n) + 8.0 * double(n);
  r.cal.mem_bw_Bps = bytes / dev.time_gemv_f16(n, n);  // median of 7 samples
  log << "  GEMV fp16 " << n << "x" << n << "  " << r.cal.mem_bw_Bps << " B/s ("
      << r.cal.mem_bw_Bps / r.triad_Bps << " of triad)\n";

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
    std::snprintf(line, sizeof line,
                  "  mem_bw_Bps: %.4g        # effective streaming bandwidth (fp16 GEMV beyond the caches)\n"
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
  cal.mem_bw_Bps = num("mem_bw_Bps", true);
  cal.flops = num("flops", true);
  cal.launch_overhead_s = num("launch_overhead_s", false);
  cal.mas_s_per_token = num("mas_s_per_token", false);
  if (cal.mem_bw_Bps <= 0 || cal.flops <= 0)
    throw std::runtime_error(path + ": calibration.mem_bw_Bps and flops must be positive");
  return cal;
}

}  // namespace msao::kernels
