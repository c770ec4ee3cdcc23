// --executor local|slurm and the Slurm options (--partition, --array-size,
// --time), added the same way to sweep, reproduce and tune.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>

#include "sim/dse/slurm_options.hpp"

namespace msao::cli {

// Adds the options; returns the check to run before any work: a Slurm
// option without --executor slurm is bad input (exit 2), never ignored.
std::function<void()> add_executor_options(CLI::App& sub, dse::ExecutorOptions& e);

}  // namespace msao::cli
