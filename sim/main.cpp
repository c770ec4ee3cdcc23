// msao: the command-line front end. Each subcommand registers itself
// (sim/cli/command_registry.hpp); main only parses and maps errors to exit
// statuses: 2 for bad input, 1 for a failed run.
#include <algorithm>
#include <iostream>

#include "sim/cli/command_registry.hpp"
#include "sim/config/input_error.hpp"
#include "sim/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"MSAO-Sim: discrete-event simulator and design-space explorer for edge-cloud multimodal-LLM inference"};
  app.require_subcommand(1);
  app.set_version_flag("--version", msao::version_line(), "Print the version and the git commit it was built from");
  // Every option's help shows its default (subcommands copy these defaults).
  app.option_defaults()->always_capture_default();
  std::vector<std::pair<CLI::App*, msao::cli::Runner>> runners;
  for (const auto& c : msao::cli::commands()) {
    CLI::App* sub = app.add_subcommand(c.name, c.description);
    runners.emplace_back(sub, c.setup(*sub));
  }
  // An empty list's captured default ("[]", e.g. --set) says nothing: drop it.
  std::function<void(CLI::App*)> tidy = [&tidy](CLI::App* a) {
    for (CLI::Option* o : a->get_options())
      if (o->get_default_str() == "[]") o->default_str("");
    for (CLI::App* s : a->get_subcommands({})) tidy(s);
  };
  tidy(&app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    // One line, like every other input error (CLI11 adds "Run with --help").
    std::cerr << "error: command line: " << msao::one_line(e.what()) << "\n";
    return msao::kInputErrorExit;
  } catch (const msao::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return msao::kInputErrorExit;
  }
  try {
    for (auto& [sub, run] : runners)
      if (sub->parsed()) return run();
  } catch (const msao::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return msao::kInputErrorExit;
  } catch (const std::exception& e) {
    std::cerr << "error: " << msao::one_line(e.what()) << "\n";
    return 1;
  }
  return 0;
}
