#include "sim/cli/command_registry.hpp"

#include "sim/util/registry.hpp"

namespace msao::cli {

const std::vector<Command>& commands() { return Registry<Command>::all(); }

bool register_command(Command c) { return Registry<Command>::add(std::move(c)); }

}  // namespace msao::cli
