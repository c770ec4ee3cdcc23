// --executor local|slurm and the Slurm options (--partition, --array-size,
// --time), added the same way to sweep, reproduce and tune.
#pragma once
#include <CLI/CLI.hpp>

#include "sim/dse/slurm_options.hpp"

namespace msao::cli {

void add_executor_options(CLI::App& sub, dse::ExecutorOptions& e);

}  // namespace msao::cli
