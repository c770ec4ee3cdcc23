// `msao list [WHAT]`: prints one of the registered listers (sim/cli/listers.hpp),
// or, without WHAT, the names of those it can print.
// This file also registers the two catalog listers, hardware and models.
#include <cstdio>
#include <iostream>
#include <string>

#include "sim/cli/command_registry.hpp"
#include "sim/cli/listers.hpp"
#include "sim/config/input_error.hpp"
#include "sim/cost/cost_model.hpp"

namespace msao::cli {
namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

void list_hardware(std::ostream& os) {
  os << "name                   TFLOP/s  GB/s    mem GB  eff c/m    W idle/busy  description\n";
  for (const auto& n : cost::list_hardware()) {
    const cost::Hardware h = cost::load_hardware(n);
    char line[256];
    std::snprintf(line, sizeof line, "%-22s %7.1f  %6.0f  %6.1f  %.2f/%.2f  %4.0f/%-5.0f  ", n.c_str(), h.flops / 1e12,
                  h.mem_bw / 1e9, h.mem_bytes / 1e9, h.eff_compute, h.eff_memory, h.idle_w, h.busy_w);
    os << line << h.description << "\n";
  }
}

void list_models(std::ostream& os) {
  os << "name             precision  weights GB  KV kB/token  modalities         description\n";
  for (const auto& n : cost::list_models()) {
    const cost::ModelSpec m = cost::load_model(n);
    const ModelSizes z = model_sizes(n);
    std::string mods;
    for (const auto& mod : z.modalities) mods += (mods.empty() ? "" : ",") + mod;
    char line[256];
    std::snprintf(line, sizeof line, "%-16s %-9s  %10s  %11s  %-17s  ", n.c_str(), cost::precision_name(m.precision),
                  fmt("%.2f", z.weight_bytes / 1e9).c_str(), fmt("%.1f", z.kv_bytes_per_token / 1e3).c_str(),
                  mods.c_str());
    os << line << m.description << "\n";
  }
}

}  // namespace

ModelSizes model_sizes(const std::string& catalog_name) {
  const cost::ModelSpec m = cost::load_model(catalog_name);
  cost::Hardware any;  // weights and KV size do not depend on the device
  any.flops = any.mem_bw = any.mem_bytes = 1;
  const cost::CostModel cm(m, any);
  ModelSizes z{cm.weight_bytes(), cm.kv_bytes_per_token(), {}};
  for (int i = 0; i < kNumModalities; ++i)
    if (m.encoders[i].present) z.modalities.push_back(kModalityNames[i]);
  return z;
}

namespace {

const bool registered = [] {
  register_lister("hardware", list_hardware);
  register_lister("models", list_models);
  return register_command(Command{
      "list", "List a catalog or registry: hardware, models, ...", [](CLI::App& sub) -> Runner {
        auto what = std::make_shared<std::string>();
        std::string names;  // every lister has registered by the time main() sets commands up
        for (const auto& [n, f] : listers()) names += (names.empty() ? "" : ", ") + n;
        sub.add_option("WHAT", *what, "what to list: " + names + " (none: what can be listed)");
        return [what]() -> int {
          if (what->empty()) {
            std::printf("what can be listed:\n");
            for (const auto& [n, f] : listers()) std::printf("  msao list %s\n", n.c_str());
            return 0;
          }
          auto it = listers().find(*what);
          if (it == listers().end()) {
            std::string known = "one of:";
            for (const auto& [n, f] : listers()) known += " " + n;
            throw InputError("command line", 0, "list WHAT", "'" + *what + "'", known);
          }
          it->second(std::cout);
          return 0;
        };
      }});
}();

}  // namespace
}  // namespace msao::cli
