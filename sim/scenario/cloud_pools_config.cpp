#include "sim/scenario/cloud_pools_config.hpp"

#include <algorithm>

#include "sim/engine/cloud_pools.hpp"

namespace msao {

namespace {
const char* const kStageNames[] = {"encode", "prefill", "decode"};

CloudStage stage_named(const std::string& s) {
  return s == "encode" ? CloudStage::Encode : s == "prefill" ? CloudStage::Prefill : CloudStage::Decode;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}
}  // namespace

std::vector<CloudPoolConfig> parse_cloud_pools(YamlSection& cloud, int cloud_gpus, const cost::Parallelism& parallel,
                                               const cost::Hardware& hardware, const std::vector<std::string>& dispatchers,
                                               const LoadHardware& load) {
  std::vector<CloudPoolConfig> out;
  if (!cloud.has("pools")) {
    cloud.consume("pools");  // (read only when given: a monolithic scenario resolves as before)
    return out;
  }
  unsigned seen = 0;
  int gpus = 0;
  for (YamlSection p : cloud.list("pools")) {
    CloudPoolConfig c;
    const std::vector<std::string> stages = p.strings("stages");
    if (stages.empty()) p.fail("stages", "an empty list", "one or more of encode, prefill, decode");
    for (const std::string& s : stages) {
      if (std::find(std::begin(kStageNames), std::end(kStageNames), s) == std::end(kStageNames))
        p.fail("stages", "'" + s + "'", "one or more of encode, prefill, decode");
      const unsigned bit = stage_bit(stage_named(s));
      if ((c.stages | seen) & bit) p.fail("stages", "'" + s + "' served twice", "each stage in exactly one pool");
      c.stages |= bit;
    }
    const unsigned e = stage_bit(CloudStage::Encode), d = stage_bit(CloudStage::Decode);
    if ((c.stages & e) && (c.stages & d) && !(c.stages & stage_bit(CloudStage::Prefill)))
      p.fail("stages", "[" + joined(stages, ", ") + "]", "encode and decode together only with prefill");
    seen |= c.stages;
    c.name = p.str_or("name", joined(stages, "-"));
    c.line = cloud.line_of("pools");
    const bool encodes = c.stages & stage_bit(CloudStage::Encode);
    c.parallel = parallel;
    for (const char* key : {"hardware", "tensor_parallel"}) {
      if (!p.has(key)) {
        p.consume(key);
      } else if (encodes) {
        p.fail(key, "a pool's own " + std::string(key) + " on a pool that encodes",
               "none: the cloud-side encoders are priced on platform.cloud's hardware and parallelism");
      }
    }
    if (p.has("hardware")) c.hardware = load(p, "hardware");
    const cost::Hardware& hw = c.hardware ? *c.hardware : hardware;
    if (p.has("tensor_parallel")) c.parallel.tp = static_cast<int>(p.integer("tensor_parallel", 1, 64));
    if (c.parallel.gpus() > 1 && hw.interconnect.name.empty())
      p.fail(p.has("tensor_parallel") ? "tensor_parallel" : "hardware",
             std::to_string(c.parallel.gpus()) + " GPUs a replica on " + hw.name,
             "hardware whose catalog entry names an `interconnect` for its all-reduces, or 1 GPU a replica");
    c.gpus = static_cast<int>(p.integer("gpus", 1, 4096));
    if (c.gpus % c.parallel.gpus() != 0)
      p.fail("gpus", std::to_string(c.gpus),
             "a multiple of the " + std::to_string(c.parallel.gpus()) + " GPUs of a replica (tensor x pipeline parallel)");
    gpus += c.gpus;
    c.max_batch = static_cast<int>(p.integer_or("max_batch", 0, 0, 65536));
    c.token_budget = static_cast<int>(p.integer_or("chunked_prefill_tokens", -1, 0, 1 << 24));
    c.dispatcher = p.has("dispatcher") ? p.choice("dispatcher", dispatchers, std::string()) : "";
    if (!p.has("dispatcher")) p.consume("dispatcher");
    p.finish();
    out.push_back(std::move(c));
  }
  if (out.size() < 2)
    cloud.fail("pools", std::to_string(out.size()) + " pool",
               "two or more pools (leave pools out for a monolithic cloud)");
  if (seen != 7u) cloud.fail("pools", "a stage no pool serves", "encode, prefill and decode each in one pool");
  if (gpus != cloud_gpus)
    cloud.fail("pools", std::to_string(gpus) + " GPUs in all",
               "the cloud's " + std::to_string(cloud_gpus) + " (platform.cloud.gpus)");
  return out;
}

LinkSpec parse_interconnect(YamlSection& cloud, bool pools) {
  LinkSpec l;
  if (!cloud.has("interconnect")) {
    if (pools) cloud.missing("interconnect", "no interconnect", "{bandwidth, latency} for a cloud with pools");
    cloud.consume("interconnect");
    return l;
  }
  if (!pools) cloud.fail("interconnect", "an interconnect", "pools beside it (only a disaggregated cloud has one)");
  YamlSection ic = cloud.child("interconnect");
  l.bandwidth_Bps = ic.quantity("bandwidth", "bandwidth", std::nullopt, 1.0, 1e13);
  l.latency_s = ic.quantity("latency", "time", 0.0, 0, 10);
  ic.finish();
  return l;
}

}  // namespace msao
