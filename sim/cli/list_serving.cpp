// `msao list serving`: the serving stacks platform.serving can name
// (platforms/serving/), with what each changes.
#include <cstdio>
#include <ostream>

#include "sim/cli/listers.hpp"
#include "sim/cost/serving.hpp"

namespace msao::cli {
namespace {

void list_serving(std::ostream& os) {
  os << "name         batching    host ms/layer  runtime GB  description\n";
  for (const auto& n : cost::list_serving()) {
    const cost::ServingProfile p = cost::load_serving(n);
    char line[128];
    std::snprintf(line, sizeof line, "%-12s %-10s  %13.2f  %10.2f  ", n.c_str(),
                  p.continuous_batching ? "continuous" : "none", p.host.decoder_layer_s * 1e3, p.runtime_mem_bytes / 1e9);
    os << line << p.description << "\n";
  }
}

const bool registered = register_lister("serving", list_serving);

}  // namespace
}  // namespace msao::cli
