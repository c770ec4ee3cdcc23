// requests.csv (one row per request, every lifecycle timestamp) and the
// check of an output directory before a run. Writing a whole run's files is
// sim/run/run_outputs.hpp.
#pragma once
#include <string>
#include <vector>

#include "sim/metrics/request_record.hpp"

namespace msao {

const char* requests_csv_header();
// One row of requests.csv.
void append_request_row(std::string& s, const RequestRecord& r);
// The whole file from a run that kept its records (RunOptions::keep_records).
std::string requests_csv(const std::vector<RequestRecord>& records);
// The files a run writes into its folder, the completeness marker
// (summary.json) last.
const std::vector<std::string>& run_output_files();
// Before a run: DIR can be created and written, and no output name in it is a directory.
void check_outputs(const std::string& dir);

}  // namespace msao
