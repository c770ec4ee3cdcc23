// Input gaps a new user ran into: catalog paths in a scenario are
// read from the scenario's folder, an unknown hardware name is reported
// against the scenario key, prompts longer than the model's context and
// inputs a model has no encoder for are bad input (exit 2, one line naming
// file, key and reason), and tensor parallelism loads and runs.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"

using msao::test::run_msao;
namespace fs = std::filesystem;

namespace {

const std::string kSrc = MSAO_SOURCE_DIR;

fs::path case_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("msao-gap-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// A text-only serving scenario in `dir`, cloud-only; `cloud` is the platform.cloud body.
fs::path serving_case(const fs::path& dir, const std::string& cloud, const std::string& model,
                      const std::string& trace_rows) {
  std::ofstream(dir / "trace.csv") << "request_id,arrived_at,num_prefill_tokens,num_decode_tokens\n" << trace_rows;
  const fs::path yaml = dir / "scenario.yaml";
  std::ofstream(yaml) << "platform:\n  edges: [{name: client, count: 1, hardware: rtx3090, uplink: {bandwidth: 100Mbps, "
                         "rtt: 20ms}}]\n  cloud:\n"
                      << cloud << "model: {edge: qwen2-vl-2b, cloud: " << model
                      << "}\nworkload: {source: serving-trace, trace: trace.csv, arrival: {type: replay}}\n"
                         "policy: {type: cloud-only}\nrun: {seed: 1, slo: 30s}\n";
  return yaml;
}

std::string expect_exit_2(const fs::path& yaml) {
  auto r = run_msao("run " + yaml.string() + " --out " + (yaml.parent_path() / "out").string());
  CHECK(r.status == 2);
  CHECK(r.out.rfind("error: ", 0) == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(yaml.parent_path() / "out" / "summary.json"));
  return r.out;
}

const char* kA100 = "    hardware: a100-40gb\n    gpus: 1\n";

}  // namespace

TEST_CASE("catalog paths in a scenario are read from the scenario's folder") {
  const fs::path dir = case_dir("paths");
  fs::copy_file(kSrc + "/platforms/hardware/a100-40gb.yaml", dir / "gpu.yaml");
  fs::copy_file(kSrc + "/platforms/models/llama-2-7b.yaml", dir / "m.yaml");
  const fs::path yaml = serving_case(dir, "    hardware: ./gpu.yaml\n", "./m.yaml", "0,0.1,100,5\n1,0.2,50,3\n");
  // The test runs from the build folder, where ./gpu.yaml does not exist.
  auto r = run_msao("run " + yaml.string() + " --out " + (dir / "out").string());
  CHECK(r.status == 0);
  CHECK(fs::exists(dir / "out" / "summary.json"));
}

TEST_CASE("an unknown hardware name is reported against the scenario key") {
  const fs::path dir = case_dir("unknown-hw");
  const std::string msg = expect_exit_2(serving_case(dir, "    hardware: a100-4gb\n", "llama-2-7b", "0,0.1,100,5\n"));
  CHECK(msg.find((dir / "scenario.yaml").string()) != std::string::npos);
  CHECK(msg.find("platform.cloud.hardware") != std::string::npos);
  CHECK(msg.find("unknown hardware 'a100-4gb'") != std::string::npos);
  CHECK(msg.find("a100-40gb") != std::string::npos);  // the known names
}

TEST_CASE("a prompt longer than the model's maximum context exits 2") {
  const fs::path dir = case_dir("context");
  const std::string msg = expect_exit_2(serving_case(dir, kA100, "llama-2-7b", "0,0.1,100,5\n1,0.2,5000,3\n"));
  CHECK(msg.find((dir / "trace.csv").string()) != std::string::npos);
  CHECK(msg.find("request 1") != std::string::npos);
  CHECK(msg.find("5000-token prompt") != std::string::npos);
  CHECK(msg.find("4096-token maximum context") != std::string::npos);
}

TEST_CASE("audio for a vision-only model exits 2, or is dropped and counted when the scenario says so") {
  const fs::path dir = case_dir("audio");
  std::string text = msao::test::slurp(kSrc + "/platforms/scenarios/video-link.yaml");
  const std::string drop = "  unsupported_inputs: drop\n";
  const auto at = text.find(drop);
  REQUIRE(at != std::string::npos);
  std::ofstream(dir / "reject.yaml") << std::string(text).erase(at, drop.size());
  const std::string msg = expect_exit_2(dir / "reject.yaml");
  CHECK(msg.find("workload.dataset") != std::string::npos);
  CHECK(msg.find("audio input") != std::string::npos);
  CHECK(msg.find("qwen2.5-vl-7b") != std::string::npos);  // the cloud model, checked first
  // As shipped: the audio is dropped and counted.
  auto r = run_msao("run " + kSrc + "/platforms/scenarios/video-link.yaml --set workload.requests=20 --out " +
                    (dir / "out").string());
  REQUIRE(r.status == 0);
  const std::string summary = msao::test::slurp((dir / "out" / "summary.json").string());
  CHECK(summary.find("\"dropped_inputs\": 0,") == std::string::npos);
}

TEST_CASE("llama-2-70b on two A100 80 GB with tensor_parallel 2 loads and runs") {
  const fs::path dir = case_dir("tp2");
  const std::string cloud =
      "    hardware: a100-80gb\n    gpus: 2\n    tensor_parallel: 2\n    chunked_prefill_tokens: 512\n"
      "    max_batch: 128\n    kv_cache: on-demand\n";
  const fs::path yaml = serving_case(dir, cloud, "llama-2-70b", "0,0.1,1000,5\n1,0.1,700,9\n2,0.3,20,4\n");
  auto r = run_msao("run " + yaml.string() + " --out " + (dir / "out").string());
  REQUIRE(r.status == 0);
  const std::string summary = msao::test::slurp((dir / "out" / "summary.json").string());
  CHECK(summary.find("\"completed\": 3,") != std::string::npos);
  CHECK(summary.find("\"cloud_batch_p50\"") != std::string::npos);
  const std::string iters = msao::test::slurp((dir / "out" / "iterations.csv").string());
  CHECK(iters.rfind("replica,gpus,start_s,seconds,batch,prefill_tokens,decode_tokens,kv_bytes,mfu,bw_util,cached_tokens,prefix_cache_bytes\n", 0) == 0);
  CHECK(iters.find("\n0,0-1,") != std::string::npos);  // one replica on GPUs 0 and 1
  // Without tensor parallelism the 138 GB of weights do not fit one GPU.
  expect_exit_2(serving_case(case_dir("tp1"), "    hardware: a100-80gb\n", "llama-2-70b", "0,0.1,100,5\n"));
}

TEST_CASE("gpus must be a whole number of replicas") {
  const fs::path dir = case_dir("replicas");
  const std::string msg =
      expect_exit_2(serving_case(dir, "    hardware: a100-80gb\n    gpus: 3\n    tensor_parallel: 2\n", "llama-2-70b",
                                 "0,0.1,100,5\n"));
  CHECK(msg.find("platform.cloud.gpus") != std::string::npos);
  CHECK(msg.find("a multiple of tensor_parallel x pipeline_parallel = 2") != std::string::npos);
}

TEST_CASE("tensor parallelism on hardware without an interconnect exits 2") {
  const std::string msg = expect_exit_2(serving_case(
      case_dir("no-link"), "    hardware: rtx3090\n    gpus: 2\n    tensor_parallel: 2\n", "llama-2-7b", "0,0.1,100,5\n"));
  CHECK(msg.find("platform.cloud.tensor_parallel") != std::string::npos);
  CHECK(msg.find("interconnect") != std::string::npos);
}
