// Dispatch from dataset name to its shape; one random stream per dataset
// ("gen/<dataset>") so the same seed gives the same requests.
#include "workloads/generator.hpp"

#include "sim/config/input_error.hpp"
#include "workloads/gen_common.hpp"
#include "workloads/gen_datasets.hpp"

namespace msao {

const std::vector<std::string>& generator_datasets() {
  static const std::vector<std::string> names = {"vqav2", "mmbench", "video-qa"};
  return names;
}

std::vector<Request> generate_requests(const std::string& dataset, size_t n, uint64_t seed) {
  Request (*make)(Rng&) = nullptr;
  if (dataset == "vqav2") make = gen::make_vqav2;
  if (dataset == "mmbench") make = gen::make_mmbench;
  if (dataset == "video-qa") make = gen::make_video_qa;
  if (!make) throw InputError("dataset", 0, "dataset", "'" + dataset + "'", "vqav2, mmbench or video-qa");
  Rng rng(seed, "gen/" + dataset);
  std::vector<Request> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    Request r = make(rng);
    r.id = i;
    r.dataset = dataset;
    gen::draw_draft_agreement(r, seed);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace msao
