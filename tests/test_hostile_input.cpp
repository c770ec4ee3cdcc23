// The hostile-input audit (every bad input exits 2): each input
// that used to hang, crash with exit 1, eat memory or be silently accepted
// is a small real file here, run through the msao binary as a user would:
// exit 2, one line naming the file/key/line, before any simulation work.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "sim/dse/sweep_spec.hpp"
#include "tests/fork_run.hpp"
#include "tests/hostile_input_util.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/serving_trace.hpp"

namespace fs = std::filesystem;
using msao::test::expect_exit2;
using msao::test::input_error_of;
using msao::test::replace;
using msao::test::run_msao;
using msao::test::scratch;
using msao::test::slurp;
using msao::test::spit;

namespace {

const std::string kSrc = MSAO_SOURCE_DIR;
const std::string kQuick = kSrc + "/platforms/scenarios/quickstart.yaml";

// quickstart.yaml with its `workload:` section replaced by `workload`.
std::string quickstart_with_workload(const std::string& workload) {
  std::string s = slurp(kQuick);
  const auto a = s.find("workload:\n"), b = s.find("policy:\n");
  REQUIRE(a != std::string::npos);
  return s.substr(0, a) + workload + s.substr(b);
}

const std::string kNetHead = "# msao-network-trace v1\n";
const std::string kServingHead = "request_id,arrived_at,num_prefill_tokens,num_decode_tokens\n";

}  // namespace

TEST_CASE("a network trace with a degenerate loop or too many rows exits 2 before any run") {
  auto d = scratch("net");
  const std::string tiny = (d / "tiny.csv").string();
  spit(tiny, kNetHead + "period_s,1e-300\nt_s,bandwidth_mbps,rtt_ms\n0,100,20\n");
  expect_exit2("trace net-check " + tiny, {tiny + ":2", "period_s", "1e-300", "0.001 s"});
  // The run that used to loop forever in SimGrid's profile code stops at load.
  spit((d / "s.yaml").string(), replace(slurp(kQuick), "uplink: {bandwidth: 300Mbps, rtt: 20ms}", "uplink: {trace: " + tiny + "}"));
  const auto t0 = std::chrono::steady_clock::now();
  expect_exit2("run " + (d / "s.yaml").string() + " --out " + (d / "out").string(), {"period_s"});
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30));
  // Rows closer than 1 ms.
  spit(tiny, kNetHead + "period_s,0\nt_s,bandwidth_mbps,rtt_ms\n0,100,20\n1e-9,50,20\n");
  expect_exit2("trace net-check " + tiny, {tiny + ":5", "t_s", "0.001 s"});
  // A 1e7 s trace at 10 ms steps is 1e9 rows: refused before generating.
  expect_exit2("trace net-gen --kind 4g --duration-s 1e7 --step-s 0.01 -o " + (d / "big.csv").string(),
               {"--duration-s / --step-s", "1000000 samples"});
  CHECK_FALSE(fs::exists(d / "big.csv"));
}

TEST_CASE("a directory where a YAML file is expected exits 2 naming it") {
  auto d = scratch("dirs");
  const std::string dir = (d / "adir").string();
  fs::create_directories(dir);
  const std::string out = " --out " + (d / "out").string();
  expect_exit2("run " + dir + out, {dir, "a directory"});
  expect_exit2("run " + kQuick + " --set platform.cloud.hardware=" + dir + out, {dir, "a directory"});
  expect_exit2("run " + kQuick + " --set model.cloud_profile=" + dir + out, {dir, "a directory"});
  expect_exit2("sweep " + dir + " --out " + (d / "sw").string(), {dir, "a directory"});
  expect_exit2("tune " + dir, {dir, "a directory"});
}

TEST_CASE("a directory where a trace is expected exits 2 naming it") {
  auto d = scratch("tracedirs");
  const std::string dir = (d / "adir").string();
  fs::create_directories(dir);
  const std::string out = " --out " + (d / "out").string();
  expect_exit2("run " + kQuick + " --set platform.edges.0.uplink.trace=" + dir + out, {dir, "a directory"});
  for (const std::string source : {"trace", "serving-trace"}) {
    spit((d / "w.yaml").string(), quickstart_with_workload("workload:\n  source: " + source + "\n  trace: " + dir +
                                                           "\n  arrival: {type: poisson, rate_rps: 2}\n"));
    expect_exit2("run " + (d / "w.yaml").string() + out, {dir, "a directory"});
  }
  expect_exit2("trace net-check " + dir, {dir, "a directory"});
  expect_exit2("trace check " + dir, {dir, "a directory"});
}

// Found by fuzz/fuzz_tune_spec: std::filesystem::exists throws on a name
// longer than NAME_MAX (255 bytes), which ended `msao tune` with an
// uncaught filesystem_error instead of exit 2.
TEST_CASE("a file name longer than the system allows exits 2 with the system's reason") {
  auto d = scratch("longnames");
  const std::string name = std::string(300, 'n') + ".yaml";
  const std::string out = " --out " + (d / "out").string();
  spit((d / "t.yaml").string(), "base: " + name + "\nparams:\n  - {key: policy.confidence, min: 0.5, max: 1.0}\n"
                                "objective: {metric: latency_ms_mean, goal: minimize}\nbudget: 4\n");
  expect_exit2("tune " + (d / "t.yaml").string(), {"base", "File name too long", "an existing file"});
  spit((d / "s.yaml").string(), "base: " + name + "\naxes:\n  - {key: run.seed, values: [1, 2]}\n");
  expect_exit2("sweep " + (d / "s.yaml").string() + " --out " + (d / "sw").string(), {"base", "File name too long"});
  expect_exit2("run " + kQuick + " --set platform.edges.0.uplink.trace=" + name + out,
               {"platform.edges.0.uplink.trace", "File name too long"});
  expect_exit2("run " + kQuick + " --set platform.cloud.hardware=" + std::string(300, 'h') + out,
               {"platform.cloud.hardware", "unknown hardware"});
  expect_exit2("run " + (d / name).string() + out, {"File name too long"});
  expect_exit2("trace check " + (d / name).string(), {"File name too long"});
}

// Found by fuzz/fuzz_tune_spec: an alias inside its own anchor is a cycle,
// and the key check followed it until the stack overflowed. Aliases of
// aliases ("billion laughs") would have taken exponential time instead.
TEST_CASE("YAML whose aliases recurse or multiply exits 2 naming the bound") {
  auto d = scratch("aliases");
  const std::string out = " --out " + (d / "out").string();
  spit((d / "cycle.yaml").string(), "&s\n\xa1:: *s");
  expect_exit2("run " + (d / "cycle.yaml").string() + out, {"cycle.yaml:1", "nested deeper than 64 levels"});
  std::string laughs = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n";
  for (char c = 'b'; c <= 'g'; ++c) {
    laughs += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) laughs += std::string(i ? ", *" : "*") + char(c - 1);
    laughs += "]\n";
  }
  spit((d / "laughs.yaml").string(), laughs);
  expect_exit2("run " + (d / "laughs.yaml").string() + out, {"laughs.yaml", "more than 100000 YAML nodes"});
  spit((d / "t.yaml").string(), "base: x.yaml\nset: &s [*s]\n");
  expect_exit2("tune " + (d / "t.yaml").string(), {"nested deeper than 64 levels"});
  // An alias that does not recurse is ordinary YAML and still loads.
  spit((d / "ok.yaml").string(), slurp(kQuick) + "x-defaults: &link {bandwidth: 300Mbps, rtt: 20ms}\n");
  expect_exit2("run " + (d / "ok.yaml").string() + out, {"unknown key 'x-defaults'"});
}

TEST_CASE("YAML that is ambiguous exits 2: non-scalar, duplicate keys and sections, several documents") {
  auto d = scratch("yaml");
  const std::string y = (d / "s.yaml").string(), out = " --out " + (d / "out").string();
  spit(y, "[a]: 1\n");
  expect_exit2("run " + y + out, {y + ":1", "a list used as a key"});
  spit(y, replace(slurp(kQuick), "    gpus: 1\n", "    gpus: 1\n    gpus: 4\n"));
  expect_exit2("run " + y + out, {"platform.cloud.gpus", "second time"});
  spit(y, slurp(kQuick) + "run:\n  seed: 7\n");
  expect_exit2("run " + y + out, {y + ":", "'run'", "second time"});
  spit(y, slurp(kQuick) + "---\nrun: {seed: 7}\n");
  expect_exit2("run " + y + out, {y + ":", "a second YAML document"});
  expect_exit2("run " + kQuick + " --set 'run={[a]: 1}'" + out, {"--set", "a list used as a key"});
  expect_exit2("run " + kQuick + " --set 'run={seed: 1, seed: 2}'" + out, {"--set", "run.seed", "second time"});
}

TEST_CASE("a --set list index too large for any integer exits 2") {
  auto d = scratch("setidx");
  expect_exit2("run " + kQuick + " --set platform.edges.99999999999999999999999.count=2 --out " + (d / "out").string(),
               {"platform.edges.99999999999999999999999.count", "list index"});
}

TEST_CASE("NaN rates and bandwidths for trace generators exit 2 and write nothing") {
  auto d = scratch("nan");
  expect_exit2("trace net-gen --kind static --bandwidth-mbps nan -o " + (d / "n.csv").string(), {"bandwidth", "nan"});
  expect_exit2("trace net-gen --kind static --bandwidth-mbps 10 --rtt-ms nan -o " + (d / "n.csv").string(), {"--rtt-ms", "nan"});
  expect_exit2("trace gen --rate-rps nan --n 3 -o " + (d / "g.csv").string(), {"--rate-rps", "nan"});
  CHECK_FALSE(fs::exists(d / "n.csv"));
  CHECK_FALSE(fs::exists(d / "g.csv"));
}

TEST_CASE("a negative --seed exits 2 instead of running the file's seed") {
  auto d = scratch("seed");
  expect_exit2("run " + kQuick + " --seed -5 --out " + (d / "out").string(), {"--seed", "-5"});
  expect_exit2("trace gen --seed -5 -o " + (d / "g.csv").string(), {"--seed", "'-5'"});
  CHECK_FALSE(fs::exists(d / "g.csv"));
  // Command-line parse errors are one line too (CLI11 added "Run with --help").
  expect_exit2("trace gen --n 0 -o " + (d / "g.csv").string(), {"error: command line: --n"});
}

TEST_CASE("workloads too large for memory exit 2 with the documented limit") {
  auto d = scratch("limits");
  const std::string out = " --out " + (d / "out").string();
  expect_exit2("run " + kQuick + " --set workload.requests=1000000000" + out, {"workload.requests", "10000000"});
  spit((d / "c.yaml").string(),
       quickstart_with_workload("workload:\n  dataset: vqav2\n  requests: 10\n"
                                "  arrival: {type: closed, users_per_edge: 1000000, think_s: 1}\n"));
  expect_exit2("run " + (d / "c.yaml").string() + out, {"users_per_edge", "100000"});
  // The limit counts every edge's users: 20 edges x 6000.
  spit((d / "c.yaml").string(),
       replace(quickstart_with_workload("workload:\n  dataset: vqav2\n  requests: 10\n"
                                        "  arrival: {type: closed, users_per_edge: 6000, think_s: 1}\n"),
               "count: 1", "count: 20"));
  expect_exit2("run " + (d / "c.yaml").string() + out, {"users_per_edge", "20 edges", "100000 closed-loop users"});
}

TEST_CASE("an unusable --out is refused before the simulation runs") {
  auto d = scratch("out");
  spit((d / "occupied").string(), "x");
  expect_exit2("run " + kQuick + " --out " + (d / "occupied").string(), {"occupied", "not a folder"});
  fs::create_directories(d / "o2" / "summary.json");
  expect_exit2("run " + kQuick + " --out " + (d / "o2").string(), {"summary.json", "a directory"});
  expect_exit2("run " + kQuick + " --out " + (d / "o3").string() + " --timeline " + d.string(), {"a directory"});
  CHECK_FALSE(fs::exists(d / "o3" / "requests.csv"));
  expect_exit2("tune " + kSrc + "/platforms/scenarios/tune-msao.yaml --out " + d.string(), {d.string(), "a directory"});
}

TEST_CASE("traces without requests, with fractional tokens, duplicate ids or no final newline exit 2") {
  auto d = scratch("traces");
  // A MAS trace with only its header.
  const std::string mas = (d / "h.csv").string();
  const std::string bundled = slurp(kSrc + "/traces/mas/vqav2-1k.csv");
  spit(mas, bundled.substr(0, bundled.find('\n', bundled.find('\n') + 1) + 1));
  spit((d / "m.yaml").string(), quickstart_with_workload("workload:\n  source: trace\n  trace: " + mas +
                                                         "\n  arrival: {type: poisson, rate_rps: 2}\n"));
  expect_exit2("run " + (d / "m.yaml").string() + " --out " + (d / "out").string(), {mas, "no requests"});
  expect_exit2("trace check " + mas, {mas, "no requests"});
  // Serving traces.
  const std::string s = (d / "s.csv").string();
  auto serving_error = [&](const std::string& text) {
    spit(s, text);
    return input_error_of([&] { msao::read_serving_trace(s); });
  };
  CHECK(serving_error(kServingHead + "0,1,10,3\n1,2,20,4\n") == "");
  CHECK(serving_error(kServingHead + "0,1,10.5,3\n").find(s + ":2: key 'column 3 (num_prefill_tokens)': found '10.5'") == 0);
  CHECK(serving_error(kServingHead + "0,1,10,3.25\n").find("num_decode_tokens") != std::string::npos);
  CHECK(serving_error(kServingHead + "0.5,1,10,3\n").find("request_id") != std::string::npos);
  CHECK(serving_error(kServingHead + "7,1,10,3\n7,2,10,3\n").find(s + ":3: key 'column 1 (request_id)': found 7 again (first on line 2)") == 0);
  CHECK(serving_error(kServingHead + "0,1,10,3").find(s + ":2: found a last line without a newline") == 0);
}

TEST_CASE("sweeps: integer axes are written as whole numbers; too many runs exit 2") {
  auto d = scratch("sweeps");
  spit((d / "big.yaml").string(), "base: " + kQuick +
                                     "\naxes:\n  - key: run.horizon\n    range: {min: 1, max: 2, steps: 1000000}\n"
                                     "  - key: run.slo\n    range: {min: 1, max: 2, steps: 1000000}\n");
  expect_exit2("sweep " + (d / "big.yaml").string() + " --out " + (d / "swo").string(), {"1e+12 runs", "1000000"});

  spit((d / "sw.yaml").string(), "base: " + kQuick +
                                     "\naxes:\n  - key: workload.requests\n    range: {min: 1000000, max: 2000000, steps: 3, integer: true}\n");
  auto runs = msao::dse::expand(msao::dse::load_sweep_spec((d / "sw.yaml").string()));
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].axis_values[0] == "1000000");
  CHECK(runs[1].axis_values[0] == "1500000");
  CHECK(runs[2].axis_values[0] == "2000000");
}

TEST_CASE("a run in which no request completes reports null latencies and tune never picks it") {
  auto d = scratch("nodone");
  auto r = run_msao("run " + kQuick + " --set workload.requests=5 --set run.horizon=1us --out " + (d / "out").string());
  REQUIRE_MESSAGE(r.ok, r.out);
  const auto j = nlohmann::json::parse(slurp((d / "out" / "summary.json").string()));
  CHECK(j.at("completed") == 0);
  for (const char* q : {"mean", "p50", "p95", "p99"}) CHECK(j.at("latency_ms").at(q).is_null());
  // Every evaluation completes nothing: no best point (it used to pick a 0 ms mean).
  spit((d / "t.yaml").string(), "base: " + kQuick +
                                    "\nset: [workload.requests=5, policy.type=cloud-only]\n"
                                    "params:\n  - {key: run.horizon, min: 0.000001, max: 0.000002}\n"
                                    "objective: {metric: latency_ms_mean, goal: minimize}\n"
                                    "budget: 2\ninitial: 2\nmethod: random\n");
  r = run_msao("tune " + (d / "t.yaml").string() + " --out " + (d / "t.json").string());
  CHECK(r.status == 1);
  CHECK(r.out.find("no feasible point") != std::string::npos);
  CHECK(slurp((d / "t.json").string()).find("\"best\": null") != std::string::npos);
}

TEST_CASE("a cloud memory budget that cannot hold the model exits 2 up front") {
  auto d = scratch("mem");
  expect_exit2("run " + kQuick + " --set platform.cloud.mem_utilization=0.1 --out " + (d / "out").string(),
               {"platform.cloud.mem_utilization", "qwen2.5-vl-7b", "needs"});
  CHECK_FALSE(fs::exists(d / "out"));
}
