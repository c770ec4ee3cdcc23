// The cost model against published serving measurements
// (platforms/fidelity/published.yaml): every predicted case within 15% of
// its published figure and the median within 8%, calibration cases kept
// out of the statistics, and docs/results/fidelity.md exactly what the
// command generates, the serving cases' section included (so the tables
// cannot drift from the model).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "sim/cli/validate_published.hpp"
#include "sim/cli/validate_serving.hpp"
#include "tests/fork_run.hpp"

using namespace msao;

TEST_CASE("published serving measurements: every predicted case within 15%, the median within 8%") {
  const cli::PublishedReport r = cli::validate_published();
  CHECK(r.predicted >= 15);
  CHECK(r.calibration >= 1);
  for (const cli::PublishedCase& c : r.cases) {
    CAPTURE(c.note);
    CAPTURE(c.simulated_tokens_s);
    if (c.role == "predicted") CHECK(std::fabs(c.error()) <= 0.15);
  }
  CHECK(r.median_abs_error <= 0.08);
  CHECK(r.worst_abs_error <= 0.15);
}

TEST_CASE("docs/results/fidelity.md is the command's output") {
  std::ifstream f(std::string(MSAO_SOURCE_DIR) + "/docs/results/fidelity.md", std::ios::binary);
  std::stringstream doc;
  doc << f.rdbuf();
  CHECK(doc.str() == cli::published_markdown(cli::validate_published()) + cli::serving_markdown(cli::validate_serving()));
}

TEST_CASE("msao validate --published lists the calibration cases apart and the statistics over predicted ones") {
  const auto r = test::run_msao("validate --published --serving-case llama-2-7b-codegen-5rps");
  REQUIRE(r.status == 0);
  const size_t pred = r.out.find("predicted cases"), cal = r.out.find("calibration cases");
  CHECK(pred != std::string::npos);
  CHECK(cal != std::string::npos);
  CHECK(pred < cal);
  CHECK(r.out.find("over 25 predicted cases (5 calibration cases apart)") != std::string::npos);
  // Then the serving cases asked for.
  const size_t serving = r.out.find("llama-2-7b-codegen-5rps");
  CHECK(serving != std::string::npos);
  CHECK(serving > cal);
  CHECK(r.out.find("over 1 serving cases") != std::string::npos);
}
