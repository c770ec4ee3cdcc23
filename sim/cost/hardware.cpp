#include "sim/cost/hardware.hpp"

#include "sim/config/parsed_file_cache.hpp"
#include "sim/config/yaml_section.hpp"
#include "sim/cost/catalog.hpp"

namespace msao::cost {

namespace {

Hardware parse_hardware(const std::string& file) {
  YamlSection s(load_yaml_file(file), file);
  Hardware h;
  h.source_file = file;
  h.name = s.str("name");
  h.description = s.str_or("description", "");
  h.flops = s.num("flops", 1e6, 1e18);
  h.mem_bw = s.quantity("mem_bw", "bandwidth", std::nullopt, 1e6, 1e15);
  h.mem_bytes = s.quantity("mem", "bytes", std::nullopt, 1e6, 1e15);
  h.idle_w = s.num("idle_w", 0, 1e5);
  h.busy_w = s.num("busy_w", h.idle_w, 1e5);
  h.eff_compute = s.num("eff_compute", 1e-3, 1.0);
  h.eff_memory = s.num("eff_memory", 1e-3, 1.0);
  h.launch_s = s.quantity("launch", "time", std::nullopt, 0, 1.0);
  h.host_speed = s.num_or("host_speed", 1.0, 0.01, 100);
  h.operators = read_op_efficiencies(s);
  h.gemm = read_gemm_efficiency(s);
  if (s.has("interconnect")) {
    YamlSection ic = s.child("interconnect");
    h.interconnect.name = ic.str("name");
    h.interconnect.bandwidth_Bps = ic.quantity("bandwidth", "bandwidth", std::nullopt, 1e6, 1e15);
    h.interconnect.latency_s = ic.quantity("latency", "time", std::nullopt, 0, 1.0);
    ic.finish();
  }
  s.finish();
  return h;
}

}  // namespace

Hardware load_hardware(const std::string& name_or_path) {
  return cached_parse<Hardware>("hardware", resolve_catalog("hardware", name_or_path), parse_hardware);
}

std::vector<std::string> list_hardware() { return list_catalog("hardware"); }

}  // namespace msao::cost
