#include "sim/engine/simgrid_env_config.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <cstdlib>
#include <sstream>

#include "sim/config/input_error.hpp"

namespace msao {

namespace {
const char* const kExpected = "SimGrid configuration items 'key:value' separated by spaces, e.g. contexts/factory:thread";
}

std::vector<std::string> parse_simgrid_config(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream in(text);
  for (std::string item; in >> item;) {
    const size_t colon = item.find(':');
    if (colon == 0 || colon == std::string::npos || colon + 1 == item.size())
      throw InputError("environment", 0, kSimgridConfigEnv, "'" + item + "'", kExpected);
    items.push_back(item);
  }
  return items;
}

void apply_simgrid_config_from_env() {
  const char* text = std::getenv(kSimgridConfigEnv);
  if (!text) return;
  for (const auto& item : parse_simgrid_config(text)) {
    try {
      simgrid::s4u::Engine::set_config(item);
    } catch (const std::exception& e) {
      throw InputError("environment", 0, kSimgridConfigEnv, "'" + item + "' (SimGrid: " + e.what() + ")", kExpected);
    }
  }
}

}  // namespace msao
