// Dataset-shaped request generators. Each dataset's shape (question-type mix,
// prompt and answer lengths, input sizes, MAS parts, accuracy of the edge and
// cloud models) is described, with sources, in traces/README.md. Same
// (dataset, n, seed) gives the same requests, byte for byte once written.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/request.hpp"
#include "workloads/rng.hpp"

namespace msao {

// Datasets the generators know, in the order the CLI lists them: the
// short-answer ones first, then the long-answer ones (captions, detailed
// descriptions, open-ended VQA, dense video captions).
const std::vector<std::string>& generator_datasets();
// The same names as one phrase, for help texts and error messages.
inline constexpr const char* kGeneratorDatasetList =
    "vqav2, mmbench, video-qa, coco-caption, detail-description, mm-vet, video-caption or visual-chat";

// n requests with ids 0..n-1, arrival_s 0 and edge 0 (materialize_workload
// fills arrivals and edges). Unknown dataset: InputError.
std::vector<Request> generate_requests(const std::string& dataset, size_t n, uint64_t seed);

// The same requests one at a time (ids 0, 1, 2...): generate_requests(d, n,
// s) is the first n of RequestGenerator(d, s).
class RequestGenerator {
 public:
  RequestGenerator(const std::string& dataset, uint64_t seed);  // unknown dataset: InputError
  Request next();

 private:
  Request (*make_)(Rng&) = nullptr;
  std::string dataset_;
  uint64_t seed_;
  Rng rng_;
  uint64_t next_id_ = 0;
};

}  // namespace msao
