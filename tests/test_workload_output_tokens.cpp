// workload.output_tokens and workload.draft_acceptance. output_tokens gives
// the asked distribution of answer lengths,
// deterministically per seed, moves no other field of any request, leaves a
// scenario without it exactly as recorded before it existed, and refuses bad
// input with one line naming the file, line and key.
// Statistical tolerances: 4 standard errors of the mean at the stated n.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/workload_config.hpp"

using namespace msao;

namespace {

WorkloadConfig parse(const std::string& yaml) {
  YamlSection s(YAML::Load(yaml), "scenario.yaml", "workload");
  return parse_workload(s);
}

double mean_tokens(const std::vector<Request>& rs) {
  double m = 0;
  for (const auto& r : rs) m += double(r.output_tokens) / rs.size();
  return m;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("a workload without output_tokens is the one recorded before it existed") {
  // traces/mas/D-1k.csv: msao trace gen --dataset D --n 1000 --seed 1 --rate-rps 2 (one edge).
  for (const std::string ds : {"vqav2", "mmbench", "video-qa"}) {
    CAPTURE(ds);
    const auto recorded = lines_of(test::slurp(std::string(MSAO_SOURCE_DIR) + "/traces/mas/" + ds + "-1k.csv"));
    REQUIRE(recorded.size() >= 102);
    const WorkloadConfig cfg = parse("{dataset: " + ds + ", requests: 100, arrival: {type: poisson, rate_rps: 2}}");
    CHECK(!cfg.output_tokens);
    const auto rs = materialize_workload(cfg, 1, 1);
    REQUIRE(rs.size() == 100);
    for (size_t i = 0; i < rs.size(); ++i) CHECK(mas_trace_row(rs[i]) == recorded[i + 2]);
  }
}

TEST_CASE("output_tokens replaces the answer length and nothing else") {
  const std::string base = "{dataset: mmbench, requests: 2000, arrival: {type: poisson, rate_rps: 2}";
  const auto plain = materialize_workload(parse(base + "}"), 3, 2);
  const auto constant = materialize_workload(parse(base + ", output_tokens: {type: constant, tokens: 256}}"), 3, 2);
  const auto uniform = materialize_workload(parse(base + ", output_tokens: {type: uniform, min: 50, max: 150}}"), 3, 2);
  const auto lognormal =
      materialize_workload(parse(base + ", output_tokens: {type: lognormal, mean: 120, sigma: 0.5, max: 2000}}"), 3, 2);
  REQUIRE(constant.size() == plain.size());
  int lo = 1 << 30, hi = 0, over = 0;
  for (size_t i = 0; i < plain.size(); ++i) {
    CHECK(constant[i].output_tokens == 256);
    lo = std::min(lo, uniform[i].output_tokens);
    hi = std::max(hi, uniform[i].output_tokens);
    over += lognormal[i].output_tokens > 2000;
    // Every other field keeps its bytes.
    Request same = constant[i];
    same.output_tokens = plain[i].output_tokens;
    CHECK(mas_trace_row(same) == mas_trace_row(plain[i]));
  }
  CHECK(lo == 50);
  CHECK(hi == 150);
  CHECK(over == 0);
  // Uniform on 50..150: mean 100, sd 29, so 4 standard errors at 2000 are 2.6.
  CHECK(std::fabs(mean_tokens(uniform) - 100) < 2.6);
  // Log-normal of mean 120, sigma 0.5: sd 64, 4 standard errors 5.7.
  CHECK(std::fabs(mean_tokens(lognormal) - 120) < 5.7);
  // The same seed draws the same lengths; the key is read only when given.
  const auto again = materialize_workload(parse(base + ", output_tokens: {type: uniform, min: 50, max: 150}}"), 3, 2);
  for (size_t i = 0; i < uniform.size(); ++i) CHECK(again[i].output_tokens == uniform[i].output_tokens);
  YamlSection s(YAML::Load(base + "}"), "scenario.yaml", "workload");
  parse_workload(s);
  CHECK(!s.resolved()["output_tokens"]);
}

TEST_CASE("bad output_tokens is an input error naming the key") {
  const std::string base = "{dataset: vqav2, requests: 1, arrival: {type: poisson, rate_rps: 1}, output_tokens: ";
  auto err = [&](const std::string& ot) { return test::input_error_of([&] { parse(base + ot + "}"); }); };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{type: gaussian, tokens: 3}", "workload.output_tokens.type"},
      {"{type: constant, tokens: -5}", "workload.output_tokens.tokens"},
      {"{type: constant, tokens: 0}", "workload.output_tokens.tokens"},
      {"{type: constant}", "workload.output_tokens.tokens"},
      {"{type: constant, token: 5}", "workload.output_tokens.token"},
      {"{type: constant, tokens: 5, max: 9}", "workload.output_tokens.max"},
      {"{type: uniform, min: 9, max: 3}", "workload.output_tokens.max"},
      {"{type: uniform, min: 3}", "workload.output_tokens.max"},
      {"{type: lognormal, mean: 100, sigma: 0.5}", "workload.output_tokens.max"},
      {"{type: lognormal, mean: 100, sigma: -1, max: 500}", "workload.output_tokens.sigma"},
      {"{type: lognormal, mean: 800, sigma: 0.5, max: 500}", "workload.output_tokens.max"},
      {"{type: lognormal, mean: 100, sigmaa: 0.5, max: 500}", "workload.output_tokens.sigmaa"},
      {"200", "workload.output_tokens"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.first);
    const std::string msg = err(c.first);
    CHECK(msg.find(c.second) != std::string::npos);
    CHECK(msg.find("scenario.yaml") != std::string::npos);
  }
  CHECK(err("{type: uniform, min: 9, max: 3}").find("at least min (9)") != std::string::npos);
}

TEST_CASE("msao run refuses bad output_tokens with exit 2 and one line, before simulating") {
  std::string text = test::slurp(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml");
  const std::string at = "  requests: 2000\n";
  REQUIRE(text.find(at) != std::string::npos);
  text.insert(text.find(at) + at.size(), "  output_tokens: {type: uniform, min: 9, max: 3}\n");
  const std::string yaml = test::scratch_path("bad-output-tokens.yaml"), out = test::scratch_path("bad-output-tokens");
  test::spit(yaml, text);
  const auto r = test::run_msao("run " + yaml + " --out " + out);
  INFO(r.out);
  CHECK(r.status == 2);
  CHECK(r.out.rfind("error: " + yaml + ":", 0) == 0);  // file and line
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
  CHECK(r.out.find("workload.output_tokens.max") != std::string::npos);
  CHECK(r.out.find("found 3, expected at least min (9)") != std::string::npos);
  CHECK(!std::filesystem::exists(out + "/summary.json"));
  // A --set names itself instead of a file.
  const auto s = test::run_msao("run " + std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml --out " + out +
                                " --set 'workload.output_tokens={type: constant, token: 5}'");
  CHECK(s.status == 2);
  CHECK(s.out.find("workload.output_tokens.token") != std::string::npos);
}

TEST_CASE("draft_acceptance sets every request's agreement rate and nothing else; out of range is an input error") {
  const std::string base = "{dataset: mm-vet, requests: 500, arrival: {type: poisson, rate_rps: 2}";
  const auto plain = materialize_workload(parse(base + "}"), 3, 2);
  const auto fixed = materialize_workload(parse(base + ", draft_acceptance: 0.8}"), 3, 2);
  REQUIRE(fixed.size() == plain.size());
  bool varied = false;
  for (size_t i = 0; i < plain.size(); ++i) {
    CHECK(fixed[i].draft_acceptance == 0.8);
    varied = varied || plain[i].draft_acceptance != plain[0].draft_acceptance;
    Request same = fixed[i];
    same.draft_acceptance = plain[i].draft_acceptance;
    CHECK(mas_trace_row(same) == mas_trace_row(plain[i]));
  }
  CHECK(varied);  // without the key, the dataset's per-request rates
  for (const std::string bad : {"0", "1.5", "-0.2", "high"}) {
    CAPTURE(bad);
    const std::string msg = test::input_error_of([&] { parse(base + ", draft_acceptance: " + bad + "}"); });
    CHECK(msg.find("workload.draft_acceptance") != std::string::npos);
  }
}

TEST_CASE("with draft_acceptance 1 every token msao verifies is accepted") {
  // Every drafted token agrees and is confident (q = U^0 = 1): msao never
  // hands off, and every verification pass accepts all it was sent.
  auto r = test::run_msao("run " + std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml --check --out " +
                          test::scratch_path("alpha-one") + " --set workload.requests=40 --set workload.dataset=coco-caption" +
                          " --set workload.draft_acceptance=1 --set platform.serving=vllm" +
                          " --set 'workload.arrival={type: closed, users_per_edge: 1, think_s: 0}'");
  REQUIRE_MESSAGE(r.status == 0, r.out);
  const std::string summary = test::slurp(test::scratch_path("alpha-one") + "/summary.json");
  CHECK(summary.find("\"handoffs\": 0") != std::string::npos);
  CHECK(summary.find("\"acceptance_rate\": 1") != std::string::npos);
}
