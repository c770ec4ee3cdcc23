#include "sim/metrics/outputs.hpp"

#include "sim/util/atomic_file.hpp"
#include "sim/metrics/request_columns.hpp"

namespace msao {

const char* requests_csv_header() {
  static const std::string header = [] {
    std::string h;
    for (const RequestColumn& c : request_columns()) (h += c.name) += ',';
    h.back() = '\n';
    return h;
  }();
  return header.c_str();
}

void append_request_row(std::string& s, const RequestRecord& r) {
  for (const RequestColumn& c : request_columns()) {
    c.write(s, r);
    s += ',';
  }
  s.back() = '\n';
}

std::string requests_csv(const std::vector<RequestRecord>& records) {
  std::string s = requests_csv_header();
  s.reserve(records.size() * 300);
  for (const auto& r : records) append_request_row(s, r);
  return s;
}

const std::vector<std::string>& run_output_files() {
  static const std::vector<std::string> files{"requests.csv", "iterations.csv", "scenario.resolved.yaml", "summary.json"};
  return files;
}

void check_outputs(const std::string& dir) { check_output_dir(dir, run_output_files()); }


}  // namespace msao
