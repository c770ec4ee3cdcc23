// `msao list dispatchers`: the cloud dispatchers platform.cloud.dispatcher
// can name, with their one-line rule.
#include <cstdio>
#include <ostream>

#include "sim/cli/listers.hpp"
#include "sim/engine/dispatcher.hpp"

namespace msao::cli {
namespace {

void list_dispatchers(std::ostream& os) {
  for (const auto& name : dispatcher_names()) {
    char line[64];
    std::snprintf(line, sizeof line, "%-14s ", name.c_str());
    os << line << find_dispatcher(name)->description << "\n";
  }
}

const bool registered = register_lister("dispatchers", list_dispatchers);

}  // namespace
}  // namespace msao::cli
