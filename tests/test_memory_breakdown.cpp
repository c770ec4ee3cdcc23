// Peak GPU memory per side: weights + KV + activations +
// runtime, each part at the same moment, so the parts sum to the reported
// peak; the activation formula on a hand-computed case; a one-request run
// whose peaks are computed by hand; and policies that run different work
// reporting different peaks.
#include <doctest/doctest.h>

#include <sstream>

#include "sim/cost/model_spec.hpp"
#include "sim/cost/serving.hpp"
#include "sim/run/run_scenario.hpp"
#include "tests/fork_run.hpp"
#include "workloads/workload_config.hpp"

using namespace msao;
using namespace msao::test;

namespace {

const std::string kPaper = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml";

struct Mem {
  cost::MemoryUse edge, cloud;
  double peak_edge_gb = 0, peak_cloud_gb = 0;
};

Mem run_memory(const std::vector<std::string>& over) {
  auto r = fork_run([&] {
    const RunOutput out = run_scenario(load_scenario(kPaper, over));
    std::ostringstream os;
    os.precision(17);
    for (const cost::MemoryUse* m : {&out.summary.mem_edge, &out.summary.mem_cloud})
      os << m->weights << " " << m->kv << " " << m->activations << " " << m->runtime << " ";
    os << out.summary.peak_mem_gb_edge << " " << out.summary.peak_mem_gb_cloud;
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  Mem m;
  std::istringstream is(r.out);
  for (cost::MemoryUse* u : {&m.edge, &m.cloud}) is >> u->weights >> u->kv >> u->activations >> u->runtime;
  is >> m.peak_edge_gb >> m.peak_cloud_gb;
  return m;
}

}  // namespace

TEST_CASE("activation memory of a forward pass, by hand, for Qwen2-VL-2B") {
  const cost::CostModel m(cost::load_model("qwen2-vl-2b"), cost::load_hardware("rtx3090"));
  // hidden 1536, ffn 8960 (SwiGLU), 2 KV heads of 128: per token the
  // residual and its normed copy (2 x 1536) plus the larger of attention's
  // q, k, v, o (2 x 1536 + 2 x 256 = 3584) and the MLP's gate, up and
  // product (3 x 8960 = 26880): 29952 bf16 values = 59904 bytes; the
  // logits of the last position: 151936 fp32 = 607744 bytes.
  CHECK(m.forward_activation_bytes(100, 1) == doctest::Approx(100 * 59904.0 + 607744.0));
  CHECK(m.forward_activation_bytes(1, 4) == doctest::Approx(59904.0 + 4 * 607744.0));
  CHECK(m.forward_activation_bytes(0, 0) == 0);
}

TEST_CASE("one request, batch 1: each side's peak and its parts, by hand") {
  const std::vector<std::string> base = {"workload.requests=1", "platform.serving=hf-eager"};
  const Scenario sc = load_scenario(kPaper, base);
  const Request req = materialize_workload(sc.workload, sc.seed, 1).front();
  const cost::ServingProfile hf = cost::load_serving("hf-eager");
  CHECK(hf.runtime_mem_bytes == doctest::Approx(300e6));

  // Cloud-only: the cloud prefills the whole request, then decodes.
  const cost::CostModel cloud(cost::load_model("qwen2.5-vl-7b"), cost::load_hardware("a100-40gb"));
  int visual = 0;
  double enc_act = 0;
  for (int i = 0; i < kNumModalities; ++i) {
    const auto mod = static_cast<Modality>(i);
    visual += cloud.encoder_tokens(mod, req.inputs[i]);
    enc_act = std::max(enc_act, cloud.encoder_activation_bytes(mod, req.inputs[i]));
  }
  const int T = req.prompt_tokens + visual, N = req.output_tokens;
  const double w = cloud.weight_bytes(), kv = cloud.kv_bytes_per_token();
  // The prefill iteration holds T tokens of KV and the larger of the
  // encoder's and the prefill's activations; decode step k holds T + k.
  const cost::MemoryUse at_prefill{w, T * kv, std::max(enc_act, cloud.forward_activation_bytes(T, 1)), 300e6};
  const cost::MemoryUse at_last{w, (T + N - 1) * kv, cloud.forward_activation_bytes(1, 1), 300e6};
  const cost::MemoryUse want = N > 1 ? cost::peak_of(at_prefill, at_last) : at_prefill;
  std::vector<std::string> over = base;
  over.push_back("policy.type=cloud-only");
  const Mem c = run_memory(over);
  CHECK(c.cloud.weights == doctest::Approx(want.weights));
  CHECK(c.cloud.kv == doctest::Approx(want.kv));
  CHECK(c.cloud.activations == doctest::Approx(want.activations));
  CHECK(c.cloud.runtime == doctest::Approx(want.runtime));
  CHECK(c.peak_cloud_gb == doctest::Approx(want.total() / 1e9));
  // The edge ran nothing: it holds nothing for this workload.
  CHECK(c.peak_edge_gb == 0);
  CHECK(c.edge.total() == 0);

  // Edge-only: the 2B model on the RTX 3090, the cloud idle.
  over.back() = "policy.type=edge-only";
  const Mem e = run_memory(over);
  const cost::CostModel edge(cost::load_model("qwen2-vl-2b"), cost::load_hardware("rtx3090"));
  CHECK(e.edge.weights == doctest::Approx(edge.weight_bytes()));
  CHECK(e.edge.runtime == doctest::Approx(300e6));
  CHECK(e.edge.kv > 0);
  CHECK(e.edge.activations > edge.forward_activation_bytes(1, 1));  // the peak is the prefill's
  CHECK(e.peak_cloud_gb == 0);
}

TEST_CASE("the memory breakdown sums to the reported peak, and policies that run less hold less") {
  std::map<std::string, Mem> by;
  for (const char* pol : {"cloud-only", "edge-only", "perllm", "msao"}) {
    CAPTURE(pol);
    const Mem m = run_memory({"workload.requests=200", "platform.serving=hf-eager", std::string("policy.type=") + pol});
    CHECK(m.peak_edge_gb == doctest::Approx(m.edge.total() / 1e9).epsilon(1e-12));
    CHECK(m.peak_cloud_gb == doctest::Approx(m.cloud.total() / 1e9).epsilon(1e-12));
    by[pol] = m;
  }
  // msao prunes what the cloud encodes and prefills: its cloud forward
  // passes hold fewer activations than cloud-only's, which sends every
  // image whole.
  CHECK(by["msao"].cloud.activations < by["cloud-only"].cloud.activations);
  CHECK(by["msao"].peak_cloud_gb < by["cloud-only"].peak_cloud_gb);
  // edge-only never touches the cloud; cloud-only never runs the edge model.
  CHECK(by["edge-only"].peak_cloud_gb == 0);
  CHECK(by["cloud-only"].peak_edge_gb == 0);
}
