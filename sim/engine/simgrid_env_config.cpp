#include "sim/engine/simgrid_env_config.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "sim/config/input_error.hpp"

namespace msao {

namespace {

const char* const kExpected = "SimGrid configuration items 'key:value' separated by spaces, e.g. contexts/factory:thread";

std::vector<std::string> env_items() {
  const char* text = std::getenv(kSimgridConfigEnv);
  return text ? parse_simgrid_config(text) : std::vector<std::string>{};
}

// SimGrid's text for an unknown key goes on to list every key: one line is enough.
[[noreturn]] void rejected(const std::string& what, const std::exception& e) {
  const std::string why = e.what();
  throw InputError("environment", 0, kSimgridConfigEnv, what + " (SimGrid: " + why.substr(0, why.find('\n')) + ")", kExpected);
}

}  // namespace

std::vector<std::string> parse_simgrid_config(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream in(text);
  for (std::string item; in >> item;) {
    const size_t colon = item.find(':');
    if (colon == 0 || colon == std::string::npos || colon + 1 == item.size())
      throw InputError("environment", 0, kSimgridConfigEnv, "'" + item + "'", kExpected);
    const std::string key = item.substr(0, colon), value = item.substr(colon + 1);
    const std::vector<std::string> factories = {"thread", "ucontext", "raw", "boost"};
    if (key == "contexts/factory" && std::find(factories.begin(), factories.end(), value) == factories.end())
      throw InputError("environment", 0, kSimgridConfigEnv, "'" + item + "'",
                       "a context factory SimGrid has: thread, ucontext, raw or boost");
    items.push_back(item);
  }
  return items;
}

std::unique_ptr<simgrid::s4u::Engine> create_engine() {
  // SimGrid keeps pointers into argv: the strings live as long as the process.
  static std::vector<std::string> args;
  static std::vector<char*> argv;
  args = {"msao"};
  for (const auto& item : env_items()) args.push_back("--cfg=" + item);
  argv.clear();
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = int(args.size());
  try {
    return std::make_unique<simgrid::s4u::Engine>(&argc, argv.data());
  } catch (const std::exception& e) {
    rejected("'" + std::string(std::getenv(kSimgridConfigEnv)) + "'", e);
  }
}

void apply_simgrid_config_from_env() {
  for (const auto& item : env_items()) {
    try {
      simgrid::s4u::Engine::set_config(item);
    } catch (const std::exception& e) {
      rejected("'" + item + "'", e);
    }
  }
}

}  // namespace msao
