// Dataset-shaped request generators. Each dataset's shape (question-type mix,
// prompt and answer lengths, input sizes, MAS parts, accuracy of the edge and
// cloud models) is described, with sources, in traces/README.md. Same
// (dataset, n, seed) gives the same requests, byte for byte once written.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/request.hpp"

namespace msao {

// Datasets the generators know, in the order the CLI lists them.
const std::vector<std::string>& generator_datasets();

// n requests with ids 0..n-1, arrival_s 0 and edge 0 (materialize_workload
// fills arrivals and edges). Unknown dataset: InputError.
std::vector<Request> generate_requests(const std::string& dataset, size_t n, uint64_t seed);

}  // namespace msao
