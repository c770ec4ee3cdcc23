// `msao list policies`: every registered policy with its one-line
// description and its parameters (name, default, range, help), straight
// from the registry's ParamSpec tables.
#include <cstdio>
#include <ostream>

#include "sim/cli/listers.hpp"
#include "sim/policy/policy.hpp"

namespace msao::cli {
namespace {

void list_policies(std::ostream& os) {
  for (const auto& p : all_policies()) {
    os << p.name << "  " << p.description << "\n";
    for (const auto& ps : p.params) {
      char line[160];
      std::snprintf(line, sizeof line, "    %-16s %-8g [%g, %g]  ", ps.name.c_str(), ps.dflt, ps.lo, ps.hi);
      os << line << ps.help << "\n";
    }
  }
}

const bool registered = register_lister("policies", list_policies);

}  // namespace
}  // namespace msao::cli
