// Hardware: one device of the hardware catalog (platforms/hardware/*.yaml),
// the only place device speeds, capacities, power and achievable efficiency
// come from. Every figure in a catalog file carries its source there.
#pragma once
#include <string>
#include <vector>

#include "sim/cost/gemm_efficiency.hpp"
#include "sim/cost/op_efficiency.hpp"

namespace msao::cost {

// The GPU-to-GPU link tensor and pipeline parallelism use (NVLink, PCIe):
// a collective or send costs latency + bytes / bandwidth.
struct Interconnect {
  std::string name;        // empty: the device has none in the catalog
  double bandwidth_Bps = 0;  // achievable per-GPU (bus) bandwidth, bytes/s
  double latency_s = 0;      // per call
};

struct Hardware {
  std::string name;
  std::string description;
  double flops = 0;        // dense fp16 tensor FLOP/s (peak)
  double mem_bw = 0;       // memory bandwidth, bytes/s (peak)
  double mem_bytes = 0;    // memory capacity, bytes
  double idle_w = 0, busy_w = 0;
  double eff_compute = 1;  // achievable fraction of `flops`
  double eff_memory = 1;   // achievable fraction of `mem_bw`
  double launch_s = 0;     // per-kernel launch overhead, s
  // How fast its host issues an eager stack's kernels, relative to the
  // reference server the serving profiles were measured on (HostDispatch).
  double host_speed = 1;
  OpEfficiencies operators;  // published per-operator fractions of peak (optional)
  // Linear layers' efficiency by their token count M (optional; without it
  // they take eff_compute / eff_memory, or their `operators` figures).
  GemmEfficiency gemm;
  Interconnect interconnect;
  std::string source_file;

  double effective_flops() const { return flops * eff_compute; }
  double effective_bw() const { return mem_bw * eff_memory; }
};

// Catalog name (platforms/hardware/<name>.yaml) or path to a YAML file.
Hardware load_hardware(const std::string& name_or_path);
std::vector<std::string> list_hardware();

}  // namespace msao::cost
