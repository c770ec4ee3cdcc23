// Dispatch from dataset name to its shape; one random stream per dataset
// ("gen/<dataset>") so the same seed gives the same requests.
#include "workloads/generator.hpp"

#include "sim/config/input_error.hpp"
#include "workloads/gen_common.hpp"
#include "workloads/gen_datasets.hpp"

namespace msao {

const std::vector<std::string>& generator_datasets() {
  static const std::vector<std::string> names = {"vqav2",  "mmbench", "video-qa", "coco-caption", "detail-description",
                                                 "mm-vet", "video-caption", "visual-chat"};
  return names;
}

namespace {
Request (*maker(const std::string& dataset))(Rng&) {
  if (dataset == "vqav2") return gen::make_vqav2;
  if (dataset == "mmbench") return gen::make_mmbench;
  if (dataset == "video-qa") return gen::make_video_qa;
  if (dataset == "coco-caption") return gen::make_coco_caption;
  if (dataset == "detail-description") return gen::make_detail_description;
  if (dataset == "mm-vet") return gen::make_mm_vet;
  if (dataset == "video-caption") return gen::make_video_caption;
  if (dataset == "visual-chat") return gen::make_visual_chat;
  throw InputError("dataset", 0, "dataset", "'" + dataset + "'", kGeneratorDatasetList);
}
}  // namespace

RequestGenerator::RequestGenerator(const std::string& dataset, uint64_t seed)
    : make_(maker(dataset)), dataset_(dataset), seed_(seed), rng_(seed, "gen/" + dataset) {}

Request RequestGenerator::next() {
  Request r = make_(rng_);
  r.id = next_id_++;
  r.dataset = dataset_;
  gen::draw_draft_agreement(r, seed_);
  return r;
}

std::vector<Request> generate_requests(const std::string& dataset, size_t n, uint64_t seed) {
  RequestGenerator g(dataset, seed);
  std::vector<Request> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(g.next());
  return out;
}

}  // namespace msao
