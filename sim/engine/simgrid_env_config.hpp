// MSAO_SIMGRID_CONFIG: SimGrid configuration items (what `--cfg=` takes,
// e.g. "contexts/factory:thread") from the environment, applied after the
// engine's own settings so they win. The sanitizer build needs it: SimGrid's
// default raw/ucontext contexts switch stacks behind ASan's back (false
// reports), thread contexts do not (scripts/sanitize sets it).
#pragma once
#include <string>
#include <vector>

namespace msao {

inline constexpr const char* kSimgridConfigEnv = "MSAO_SIMGRID_CONFIG";

// The whitespace-separated "key:value" items of `text`; InputError naming
// MSAO_SIMGRID_CONFIG for an item without a key or a value.
std::vector<std::string> parse_simgrid_config(const std::string& text);

// Applies the environment's items (none when unset); an item SimGrid
// rejects is an InputError too.
void apply_simgrid_config_from_env();

}  // namespace msao
