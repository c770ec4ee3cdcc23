// More of the hostile-input audit (tests/test_hostile_input.cpp): inputs
// that ran with silently wrong results, crashed on reading, or were refused
// with a message that did not help. Each runs the msao binary as a user
// would: exit 2, one "error:" line naming the file/key, before any
// simulation work.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <vector>

#include "tests/fork_run.hpp"
#include "tests/hostile_input_util.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/serving_trace.hpp"

namespace fs = std::filesystem;
using namespace msao::test;  // run_msao, expect_exit2, scratch, slurp, spit, replace, input_error_of

namespace {

const std::string kSrc = MSAO_SOURCE_DIR;
const std::string kQuick = kSrc + "/platforms/scenarios/quickstart.yaml";

void expect_ok(const std::string& args) {
  auto r = run_msao(args);
  INFO(args, "\n", r.out);
  CHECK(r.status == 0);
}

}  // namespace

TEST_CASE("a serving runtime that leaves no room for the model exits 2 naming its key") {
  auto d = scratch("runtime");
  const std::string vllm = (d / "vllm.yaml").string(), out = " --out " + (d / "out").string();
  spit(vllm, replace(slurp(kSrc + "/platforms/serving/vllm.yaml"), "cuda_context: 0.33GiB", "cuda_context: 200GB"));
  // It used to run and report a 216.9 GB peak on a 40 GB A100.
  expect_exit2("run " + kQuick + " --set policy.type=cloud-only --set platform.serving=" + vllm + out,
               {vllm + ":", "key 'cuda_context'", "200.00 GB", "qwen2.5-vl-7b", "the cloud's budget"});
  CHECK_FALSE(fs::exists(d / "out"));
  // A runtime the cloud's 80 GB hold but the edge's 24 GB do not.
  spit(vllm, replace(slurp(kSrc + "/platforms/serving/vllm.yaml"), "cuda_context: 0.33GiB", "cuda_context: 22GB"));
  expect_exit2("run " + kQuick + " --set platform.cloud.hardware=h100-sxm --set platform.serving=" + vllm + out,
               {"key 'cuda_context'", "qwen2-vl-2b", "edge group 'edge' (rtx3090)"});
  // The bundled runtime fits.
  expect_ok("check " + kQuick + " --set platform.serving=vllm");
}

TEST_CASE("retry backoff that overflows simulated time exits 2 naming the key and the cap") {
  auto d = scratch("backoff");
  const auto t0 = std::chrono::steady_clock::now();
  expect_exit2("run " + kSrc + "/platforms/scenarios/outage.yaml --out " + (d / "out").string() +
                   " --set policy.type=cloud-only --set 'platform.faults={timeout: 1ms, retries: 100, backoff: 3600s}'",
               {"--set platform.faults=", "platform.faults.retries", "4.56e+33 s", "at most 1000000 s"});
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30));
  CHECK_FALSE(fs::exists(d / "out"));
  expect_exit2("check " + kSrc + "/platforms/scenarios/outage.yaml --set 'platform.faults={backoff: 3600s, retries: 10}'",
               {"key 'platform.faults.retries'", "3600 s x (2^10 - 1) = 3.68e+06 s"});
  expect_exit2("check " + kSrc + "/platforms/scenarios/outage.yaml --set platform.faults.retries=30",
               {"--set platform.faults.retries=30", "0.2 s x (2^30 - 1)"});
  // 10 retries of 200 ms wait 204.6 s in all: fine.
  expect_ok("check " + kSrc + "/platforms/scenarios/outage.yaml --set platform.faults.retries=10");
}

TEST_CASE("parallelism the model cannot be split into exits 2: layers for pipeline, heads for tensor") {
  const std::string h100 = " --set platform.cloud.hardware=h100-sxm";
  expect_exit2("check " + kQuick + h100 + " --set platform.cloud.gpus=64 --set platform.cloud.pipeline_parallel=64",
               {"platform.cloud.pipeline_parallel", "64 stages for the 28 layers", "at most 28"});
  for (const std::string tp : {"3", "7", "14"})
    expect_exit2("check " + kQuick + h100 + " --set platform.cloud.gpus=" + tp + " --set platform.cloud.tensor_parallel=" + tp,
                 {"--set platform.cloud.tensor_parallel=" + tp, "28 attention heads and 4 KV heads", "one of 1, 2, 4, 28"});
  for (const std::string tp : {"2", "4", "28"})
    expect_ok("check " + kQuick + h100 + " --set platform.cloud.gpus=" + tp + " --set platform.cloud.tensor_parallel=" + tp);
  expect_ok("check " + kQuick + h100 + " --set platform.cloud.gpus=28 --set platform.cloud.pipeline_parallel=28");
}

TEST_CASE("fractional values for whole-number or switch policy parameters exit 2, never rounded") {
  const std::string c = "check " + kQuick;
  expect_exit2(c + " --set policy.type=msao --set policy.gamma=2.5", {"policy.gamma", "'2.5'", "an integer"});
  expect_exit2(c + " --set policy.type=spec-decode --set policy.gamma=2.5", {"policy.gamma", "an integer"});
  expect_exit2(c + " --set policy.type=dsd --set policy.max_gamma=7.9", {"policy.max_gamma", "an integer"});
  expect_exit2(c + " --set policy.type=recserve --set policy.window=10.5", {"policy.window", "an integer"});
  expect_exit2(c + " --set policy.type=token-prune --set policy.layer=2.5", {"policy.layer", "an integer"});
  expect_exit2(c + " --set policy.type=dsd --set policy.adaptive=0.5", {"policy.adaptive", "'0.5'", "true or false"});
  expect_exit2(c + " --set policy.type=msao --set policy.collab=0.7", {"policy.collab", "true or false"});
  // 0/1 and true/false are switches; whole numbers are counts.
  for (const std::string ok : {"policy.adaptive=0", "policy.adaptive=1", "policy.adaptive=true", "policy.adaptive=false"})
    expect_ok(c + " --set policy.type=dsd --set " + ok);
  expect_ok(c + " --set policy.type=msao --set policy.gamma=3 --set policy.mas_aware=0");
}

TEST_CASE("a --set value holding a second YAML document exits 2 instead of being cut") {
  expect_exit2("check " + kQuick + " --set 'run.seed=3\n---\npolicy: {type: msao}'",
               {"--set run.seed=3\\n---\\npolicy", "run.seed", "a second YAML document"});
}

TEST_CASE("trace gen refuses a rate whose arrivals a MAS trace cannot hold; a slow one it accepts checks") {
  auto d = scratch("rate");
  const std::string g = (d / "g.csv").string();
  expect_exit2("trace gen --rate-rps 1e-300 --n 3 -o " + g, {"--rate-rps", "1e-300", "at least 3e-08", "1e9 s"});
  CHECK_FALSE(fs::exists(g));
  expect_exit2("trace gen --rate-rps 1e-8 --n 1000 --edges 2 -o " + g, {"at least 5e-06", "2 edges"});
  expect_ok("trace gen --rate-rps 1e-6 --n 20 -o " + g);
  expect_ok("trace check " + g);
}

TEST_CASE("/dev/zero, endless lines and oversized files exit 2 at once wherever a file is read") {
  auto d = scratch("zero");
  const std::string out = " --out " + (d / "out").string();
  const auto t0 = std::chrono::steady_clock::now();
  for (const std::string& args : std::vector<std::string>{"trace check /dev/zero", "trace stats /dev/zero", "trace net-check /dev/zero", "run /dev/zero" + out,
                                 "check " + kQuick + " --set model.cloud_profile=/dev/zero", "sweep /dev/zero" + out,
                                 "tune /dev/zero", "check " + kQuick + " --set platform.cloud.hardware=/dev/zero",
                                 "reproduce paper --scenario /dev/zero --out " + (d / "rp").string()})
    expect_exit2(args, {"/dev/zero", "a device, not a file"});
#ifdef MSAO_HAVE_KERNELS
  expect_exit2("validate --profile /dev/zero", {"/dev/zero", "a device, not a file"});
#endif
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30));
  // A regular file of one 2 MiB line, as a trace and as YAML.
  const std::string line = (d / "line.csv").string();
  spit(line, std::string(2u << 20, 'a'));
  expect_exit2("trace net-check " + line, {line + ":1", "a line longer than 1 MiB"});
  expect_exit2("trace check " + line, {line + ":1", "a line longer than 1 MiB"});
  expect_exit2("check " + line, {line + ":1", "a line longer than 1 MiB"});
  // The same through a redirected stdin, and after a good first line.
  spit(line, std::string(msao::kMasTraceVersionLine) + "\n" + std::string(2u << 20, 'a') + "\n");
  expect_exit2("trace check /dev/stdin < " + line, {"/dev/stdin:2", "a line longer than 1 MiB"});
  // A YAML file over its 16 MiB bound is refused before reading.
  const std::string big = (d / "big.yaml").string();
  {
    std::ofstream f(big);
    const std::string row = "# " + std::string(1000, 'x') + "\n";
    for (int i = 0; i < 17 * 1024; ++i) f << row;
  }
  expect_exit2("check " + big, {big, "MiB", "at most 16 MiB"});
}

TEST_CASE("an unknown platform.faults key lists every accepted key and suggests the nearest") {
  expect_exit2("check " + kQuick + " --set 'platform.faults={wan_outag: {every: 60s, duration: 1s}}'",
               {"unknown key 'wan_outag'", "'wan_outage' (did you mean it?)", "access_outage", "edge_failure", "gpu_failure",
                "backoff", "retries", "timeout"});
}

TEST_CASE("--jobs and other counts out of range print a readable bound") {
  for (const std::string& args : std::vector<std::string>{"compare " + kQuick + " --jobs -1", "sweep x.yaml --jobs -1",
                                 "reproduce paper --jobs 99999999999999999999"}) {
    const std::string line = expect_exit2(args, {"--jobs", "a whole number from 0 to 4096"});
    CHECK(line.size() < 200);
  }
  CHECK(expect_exit2("reproduce paper --requests 0", {"--requests", "from 1 to 10000000"}).size() < 200);
  CHECK(expect_exit2("tune x.yaml --budget 0", {"--budget", "from 1 to 100000"}).size() < 200);
}

TEST_CASE("a file named where a trace belongs is never echoed when it is no trace") {
  auto d = scratch("echo");
  const std::string secret = (d / "secret.txt").string();
  spit(secret, "hunter2-secret:x:0:0:root:/root:/bin/bash\nmore\n");
  // Network traces are read by the sweep's check: its error used to quote the line.
  const std::string base = (d / "base.yaml").string();
  spit(base, slurp(kQuick));
  spit((d / "sw.yaml").string(),
       "base: " + base + "\naxes:\n  - {key: platform.edges.0.uplink.trace, values: [" + secret + "]}\n");
  const std::string line = expect_exit2("sweep " + (d / "sw.yaml").string() + " --out " + (d / "sw").string(),
                                        {secret + ":1", "a first line that does not start with '# msao-'"});
  CHECK(line.find("hunter2") == std::string::npos);
  // MAS and serving traces fail inside the sweep's runs: their readers do not echo either.
  for (const std::string& e : {input_error_of([&] { msao::read_mas_trace(secret); }),
                               input_error_of([&] { msao::read_serving_trace(secret); })}) {
    CHECK(e.find(secret + ":1") == 0);
    CHECK(e.find("hunter2") == std::string::npos);
  }
  // A version line of another format is still shown.
  spit(secret, "# msao-network-trace v1\n");
  CHECK(input_error_of([&] { msao::read_mas_trace(secret); }).find("found '# msao-network-trace v1'") != std::string::npos);
}

TEST_CASE("a serving trace with Windows line endings reads as with Unix ones") {
  auto d = scratch("crlf");
  const std::string s = (d / "s.csv").string();
  spit(s, "request_id,arrived_at,num_prefill_tokens,num_decode_tokens\r\n0,1,10,3\r\n1,2,20,4\r\n");
  CHECK(input_error_of([&] { msao::read_serving_trace(s); }) == "");
  const auto rs = msao::read_serving_trace(s);
  REQUIRE(rs.size() == 2);
  CHECK(rs[1].output_tokens == 4);
  // A header with other columns is shown; one that is not a header is not.
  spit(s, "request_id,arrival\n");
  CHECK(input_error_of([&] { msao::read_serving_trace(s); }).find("found 'request_id,arrival'") != std::string::npos);
}

TEST_CASE("an unknown profile stage lists the known stages") {
  auto d = scratch("stage");
  const std::string p = (d / "p.yaml").string();
  spit(p, "stages:\n  prefil:\n    - {tokens: 1, seconds: 0.1}\n");
  expect_exit2("check " + kQuick + " --set model.cloud_profile=" + p,
               {p + ":3", "unknown key 'prefil'", "'prefill' (did you mean it?)", "decode", "encoder.image", "projector.audio"});
}

TEST_CASE("a newline or other control character in a --set value keeps the error on one line") {
  expect_exit2("check " + kQuick + " --set 'run.sed=3\nx'", {"--set run.sed=3\\nx", "unknown key 'sed'"});
  expect_exit2("check " + kQuick + " --set 'run.se\red=1'", {"unknown key 'se\\red'"});
  expect_exit2("check " + kQuick + " --set 'run.seed=\x01'", {"run.seed", "\\x01"});
}

TEST_CASE("YAML nested ten thousand levels deep says the nesting is too deep, with the limit") {
  auto d = scratch("deep");
  const std::string y = (d / "deep.yaml").string();
  spit(y, "a: " + std::string(10000, '[') + std::string(10000, ']') + "\n");
  CHECK(expect_exit2("check " + y, {y + ":1", "nested deeper than 64 levels", "at most 64 levels"}).find("malformed") ==
        std::string::npos);
  std::string block;
  for (int i = 0; i < 1000; ++i) block += std::string(i, ' ') + "k:\n";
  spit(y, block);
  expect_exit2("check " + y, {"nested deeper than 64 levels"});
  expect_exit2("check " + kQuick + " --set 'run.seed=" + std::string(3000, '[') + std::string(3000, ']') + "'",
               {"key 'run.seed'", "nested deeper than 64 levels"});
}
