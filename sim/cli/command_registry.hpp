// Command registry: each `msao <command>` lives in its own file and
// registers itself here from a static initialiser, so adding a command
// touches no shared file. setup() adds the command's options to its CLI11
// subcommand and returns the function main() calls when it was chosen; that
// function returns the process exit status.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace msao::cli {

using Runner = std::function<int()>;
struct Command {
  std::string name;
  std::string description;
  std::function<Runner(CLI::App& sub)> setup;
};

const std::vector<Command>& commands();  // sorted by name
bool register_command(Command c);

}  // namespace msao::cli
