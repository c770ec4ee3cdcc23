// run_to_dir: run_scenario with its outputs streamed into DIR as the run
// goes (sim/metrics/streamed_outputs.hpp): what `msao run` and `msao
// compare --out` do. The records are not kept in memory; the files are
// byte-identical to write_outputs() of an in-memory run.
#pragma once
#include <string>

#include "sim/run/run_scenario.hpp"

namespace msao {

RunOutput run_to_dir(const std::string& dir, const Scenario& sc, RunOptions opt = {});

}  // namespace msao
