// LLM-serving traces (`workload.source: serving-trace`).
#include "fuzz/support/expect_input_error.hpp"
#include "fuzz/support/work_tree.hpp"
#include "workloads/serving_trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = msao::fuzz::write_input(data, size, "fuzz-input.csv");
  return msao::fuzz::expect_input_error([&] { (void)msao::read_serving_trace(path); });
}
