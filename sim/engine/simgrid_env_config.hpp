// MSAO_SIMGRID_CONFIG: SimGrid configuration items (what `--cfg=` takes,
// e.g. "contexts/factory:thread") from the environment. The sanitizer build
// needs it: SimGrid's default raw/ucontext contexts switch stacks behind
// ASan's back (false reports), thread contexts do not (scripts/sanitize sets
// it). The items go to the engine twice: as --cfg arguments when it is
// created (SimGrid picks the context factory then, and ignores later
// changes), and again after configure_engine's own settings, so they win.
#pragma once
#include <simgrid/s4u/Engine.hpp>

#include <memory>
#include <string>
#include <vector>

namespace msao {

inline constexpr const char* kSimgridConfigEnv = "MSAO_SIMGRID_CONFIG";

// The whitespace-separated "key:value" items of `text`; InputError naming
// MSAO_SIMGRID_CONFIG for an item without a key or a value, or a context
// factory SimGrid does not have (it would abort the process, not throw).
std::vector<std::string> parse_simgrid_config(const std::string& text);

// The process's one engine, created with the environment's items as --cfg
// arguments; an item SimGrid rejects is an InputError.
std::unique_ptr<simgrid::s4u::Engine> create_engine();

// Applies the environment's items again (none when unset), after
// configure_engine's settings.
void apply_simgrid_config_from_env();

}  // namespace msao
