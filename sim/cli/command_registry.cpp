#include "sim/cli/command_registry.hpp"

namespace msao::cli {

std::vector<Command>& commands() {
  static std::vector<Command> all;  // function-local: safe from static-init order
  return all;
}

bool register_command(Command c) {
  commands().push_back(std::move(c));
  return true;
}

}  // namespace msao::cli
