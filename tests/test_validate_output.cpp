// `msao validate --quick` runs the small transformer end to end and prints
// rows that parse: one `case` row per iteration (predicted, measured, their
// error), one `op` row per operator whose predictions add up to the case's,
// the cases again by role (`sum` rows, the LM head alone among them), and a
// median and worst error over the predicted cases only. The profile it
// writes is one the simulator loads and `msao validate --profile` accepts,
// with a `gemm:` table for the linear layers and the calibration
// iterations that label cases under --profile.
// Nothing here depends on how fast the machine is.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sim/cost/profile.hpp"
#include "tests/fork_run.hpp"
#include "tests/test_cost_files.hpp"

#ifdef MSAO_HAVE_KERNELS
namespace {

struct Row {
  std::string kind, name, role_or_op, shape;
  double predicted_ms = 0, measured_ms = 0, error_pct = 0;
};

// Rows are whitespace-separated: kind case role/operator shape predicted measured error%.
std::vector<Row> parse_rows(const std::string& out, double& median_pct, double& worst_pct, int& cases_counted) {
  std::vector<Row> rows;
  std::istringstream in(out);
  median_pct = -1;
  cases_counted = -1;
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    Row r;
    std::string err;
    if (line.rfind("case ", 0) == 0 || line.rfind("op ", 0) == 0 || line.rfind("sum ", 0) == 0) {
      ls >> r.kind >> r.name >> r.role_or_op >> r.shape >> r.predicted_ms >> r.measured_ms >> err;
      REQUIRE_MESSAGE(!ls.fail(), line);
      REQUIRE_MESSAGE(err.back() == '%', line);
      r.error_pct = std::stod(err.substr(0, err.size() - 1));
      rows.push_back(r);
    } else if (line.rfind("median |error| ", 0) == 0) {
      std::sscanf(line.c_str(), "median |error| %lf%%, worst %lf%% over %d predicted cases", &median_pct, &worst_pct,
                  &cases_counted);
    }
  }
  return rows;
}

}  // namespace

TEST_CASE("msao validate --quick prints case and operator rows that parse and add up") {
  const std::string prof = msao::test::write_temp_file("validate-quick.yaml", "");
  std::remove(prof.c_str());
  auto r = msao::test::run_msao("validate --quick --profile-out " + prof);
  INFO(r.out);
  REQUIRE(r.status == 0);
  double median = 0, worst = 0;
  int counted = 0;
  const std::vector<Row> rows = parse_rows(r.out, median, worst, counted);
  std::map<std::string, double> op_sum;
  std::vector<double> errs;  // predicted cases
  int calibration = 0, cases = 0;
  bool lm_head = false;
  for (const Row& row : rows) {
    CHECK(row.predicted_ms > 0);
    CHECK(row.measured_ms > 0);
    // The printed error is (predicted - measured) / measured, to its 0.1%
    // (checked where the 4 printed decimals of a time leave that precision).
    const double err = 100 * (row.predicted_ms - row.measured_ms) / row.measured_ms;
    if (std::min(row.predicted_ms, row.measured_ms) >= 0.1) CHECK(std::abs(err - row.error_pct) <= 0.15);
    if (row.kind == "op") op_sum[row.name] += row.predicted_ms;
    cases += row.kind == "case";
    if (row.kind == "sum") {
      if (row.role_or_op == "predicted") errs.push_back(std::abs(row.error_pct));
      calibration += row.role_or_op == "calibration";
      lm_head = lm_head || row.name == "lm_head";
    }
  }
  // 8 iterations (2 calibration, 6 predicted, among them a lone decode, a
  // 64-token chunk and a 4k context), and the LM head alone, predicted.
  CHECK(cases == 8);
  REQUIRE(errs.size() == 7);
  CHECK(lm_head);
  CHECK(calibration == 2);
  CHECK(counted == 7);
  // A whole iteration's prediction is the sum of its operators' (4 decimals a row).
  for (const Row& row : rows)
    if (row.kind == "case") {
      CAPTURE(row.name);
      CHECK(op_sum[row.name] == doctest::Approx(row.predicted_ms).epsilon(1e-3).scale(1));
    }
  std::sort(errs.begin(), errs.end());
  CHECK(std::abs(median - errs[3]) <= 0.1);
  CHECK(std::abs(worst - errs.back()) <= 0.1);

  // The profile written is the simulator's format, recorded on this machine.
  const msao::cost::Profile p = msao::cost::load_profile(prof);
  REQUIRE(p.calibration.has_value());
  CHECK(p.calibration->hardware == "cpu-generic");
  for (const char* op : {"attention_prefill", "attention_decode", "norm"}) CHECK(p.operators.count(op) == 1);
  // The linear layers are the `gemm:` table's, by M: the layer's projections
  // alone at 1, 4, 8 and 16 tokens and in the calibration iterations (2
  // decodes, a 32-token chunk); the LM head has no figure of its own.
  for (const char* op : {"qkv", "o_proj", "ffn", "lm_head"}) CHECK(p.operators.count(op) == 0);
  std::vector<double> tokens;
  for (const auto& [m, eff] : p.gemm.memory.points) tokens.push_back(m);
  CHECK(tokens == std::vector<double>{1, 2, 4, 8, 16, 32});
  CHECK(p.calibration->iterations == std::vector<std::string>{"decode:2x64", "prefill:32@0"});
  CHECK(r.out.find("\ngemm     1 tokens: ") != std::string::npos);  // the rows are listed

  // --profile takes it instead of measuring one (it passes the device
  // check), and the cases of the shapes it was calibrated at are
  // calibration again, the rest predicted.
  auto again = msao::test::run_msao("validate --quick --rounds 1 --profile " + prof);
  CHECK(again.status == 0);
  CHECK(again.out.find("profile: " + prof) != std::string::npos);
  CHECK(again.out.find("\ngemm ") == std::string::npos);  // nothing timed for a table
  double m2 = 0, w2 = 0;
  int counted2 = 0;
  for (const Row& row : parse_rows(again.out, m2, w2, counted2))
    if (row.kind == "sum") {
      CAPTURE(row.name);
      const bool calibrated = row.name == "decode" || row.name == "prefill";
      CHECK(row.role_or_op == (calibrated ? "calibration" : "predicted"));
    }
  CHECK(counted2 == 7);
  // At other shapes nothing matches what the profile was calibrated at:
  // every case is predicted.
  auto other = msao::test::run_msao("validate --quick --rounds 1 --decode-batch 1 --prefill-chunk 16 --context 32 "
                                    "--profile " + prof);
  CHECK(other.status == 0);
  int counted3 = 0;
  for (const Row& row : parse_rows(other.out, m2, w2, counted3)) CHECK(row.role_or_op != "calibration");
  CHECK(counted3 == 9);
}

TEST_CASE("msao validate --profile labels what the profile was fitted to as calibration") {
  // A hand-written profile whose calibration iterations name the lone
  // decode's shape, and with an LM head figure (no `gemm:` table): the lone
  // decode and the LM head alone are calibration, the rest predicted.
  const std::string prof = msao::test::write_temp_file(
      "validate-labels.yaml",
      "calibration:\n  hardware: cpu-generic\n  mem_bw_Bps: 1e10\n  flops: 3e10\n  launch_overhead_s: 0\n"
      "  iterations: [\"decode:1x64\"]\noperators:\n  lm_head: {memory: 0.2}\n");
  auto r = msao::test::run_msao("validate --quick --rounds 1 --profile " + prof);
  INFO(r.out);
  REQUIRE(r.status == 0);
  double median = 0, worst = 0;
  int counted = 0;
  std::vector<std::string> calibration;
  for (const Row& row : parse_rows(r.out, median, worst, counted))
    if (row.kind == "sum" && row.role_or_op == "calibration") calibration.push_back(row.name);
  std::sort(calibration.begin(), calibration.end());
  CHECK(calibration == std::vector<std::string>{"decode_one", "lm_head"});
  CHECK(counted == 7);
}

TEST_CASE("msao validate refuses bad options and profiles with exit 2 before measuring anything") {
  auto r = msao::test::run_msao("validate --quick --layers 0");
  CHECK(r.status == 2);
  CHECK(r.out.find("--layers") != std::string::npos);
  r = msao::test::run_msao("validate --quick --context 20000");  // twice it exceeds the model's 32768
  CHECK(r.status == 2);
  CHECK(r.out.find("--context") != std::string::npos);
  // A profile calibrating another hardware entry than the CPU's.
  const std::string prof = msao::test::write_temp_file(
      "validate-gpu-profile.yaml", "calibration:\n  hardware: rtx3090\n  mem_bw_Bps: 1e10\n  flops: 1e10\n");
  r = msao::test::run_msao("validate --quick --profile " + prof);
  CHECK(r.status == 2);
  CHECK(r.out.find("calibration.hardware") != std::string::npos);
  CHECK(r.out.find("round 1") == std::string::npos);
}
#else
TEST_CASE("msao validate --quick (skipped: built without kernels/)") {
  MESSAGE("skipped: msao was built without the kernel library");
}
#endif
