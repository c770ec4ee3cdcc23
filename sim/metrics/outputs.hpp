// Writing a run's results: DIR/requests.csv (one row per request, every
// lifecycle timestamp), DIR/scenario.resolved.yaml and DIR/summary.json.
// Each file is written atomically, and summary.json last: a directory with
// a summary.json holds a complete run.
#pragma once
#include <string>

#include "sim/run/run_scenario.hpp"

namespace msao {

const char* requests_csv_header();
// One row of requests.csv.
void append_request_row(std::string& s, const RequestRecord& r);
// The whole file from a run that kept its records (RunOptions::keep_records).
std::string requests_csv(const std::vector<RequestRecord>& records);
// The text of scenario.resolved.yaml: every key, defaults and overrides applied.
std::string resolved_yaml(const Scenario& sc);
// Before a run: DIR can be created and written, and no output name in it is a directory.
void check_outputs(const std::string& dir);
void write_outputs(const std::string& dir, const Scenario& sc, const RunOutput& out);

}  // namespace msao
