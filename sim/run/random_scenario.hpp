// Scenarios drawn from a seed, for checking the engine's books on inputs
// nobody wrote by hand (tests, `msao soak`): a policy with drawn
// parameters, a serving stack, an arrival process and load, edge devices
// and their links (static or a bundled network trace), faults, tensor
// parallelism, chunked prefill, the KV policy and the dispatcher, as
// `--set` overrides of a base scenario. Each run is brief (at most a few
// hundred requests), so thousands fit in minutes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace msao {

// The base the overrides apply to: the paper's setup.
std::string random_scenario_base();
// The overrides drawn from `seed` (the same seed, the same scenario).
std::vector<std::string> random_scenario_overrides(uint64_t seed);
// The `msao run` command line that reproduces it.
std::string random_scenario_command(uint64_t seed);

}  // namespace msao
