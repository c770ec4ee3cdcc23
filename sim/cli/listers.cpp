#include "sim/cli/listers.hpp"

namespace msao::cli {

std::map<std::string, Lister>& listers() {
  static std::map<std::string, Lister> all;
  return all;
}

bool register_lister(const std::string& name, Lister fn) {
  listers()[name] = std::move(fn);
  return true;
}

}  // namespace msao::cli
