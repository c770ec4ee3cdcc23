// Cloud serving under the public LLM conversation trace
// (traces/serving/llm-serving-workload-10k.csv): the reader validates its
// rows, every request is served with exactly its decode tokens, and larger
// batches serve the same arrivals faster.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/input_error.hpp"
#include "sim/run/run_scenario.hpp"
#include "tests/fork_run.hpp"
#include "workloads/serving_trace.hpp"

using namespace msao;

namespace {
const std::string kTrace = std::string(MSAO_SOURCE_DIR) + "/traces/serving/llm-serving-workload-10k.csv";
const std::string kScenario = std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/cloud-serving.yaml";

std::string bad_trace(const std::string& body) {
  auto p = std::filesystem::temp_directory_path() / ("msao-serving-" + std::to_string(::getpid()) + ".csv");
  std::ofstream(p) << "request_id,arrived_at,num_prefill_tokens,num_decode_tokens\n" << body;
  return p.string();
}
}  // namespace

TEST_CASE("the serving trace reader loads the bundled trace and rejects bad rows with file and line") {
  auto rs = read_serving_trace(kTrace);
  CHECK(rs.size() == 10000);
  CHECK(rs[0].prompt_tokens == 395);
  CHECK(rs[0].output_tokens == 112);
  CHECK(rs[1].arrival_s == doctest::Approx(1.0453891263175399));
  for (const char* body : {"0,1.0,395\n", "0,nan,395,112\n", "0,1.0,0,112\n", "0,2.0,5,5\n1,1.0,5,5\n"}) {
    auto path = bad_trace(body);
    try {
      read_serving_trace(path);
      FAIL("accepted a bad row: " << body);
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find(path + ":") == 0);
    }
  }
}

TEST_CASE("every serving-trace request is served with exactly its decode tokens") {
  auto r = test::fork_run([] {
    Scenario sc = load_scenario(kScenario, {"workload.requests=2000"});
    RunOutput out = run_scenario(sc);
    long long tokens = 0;
    for (const auto& rec : out.sim.records) tokens += rec.status == RequestStatus::Completed ? rec.output_tokens : 0;
    return std::to_string(out.summary.completed) + " " + std::to_string(tokens);
  });
  REQUIRE(r.ok);
  long long expect = 0;
  auto rs = read_serving_trace(kTrace);
  for (size_t i = 0; i < 2000; ++i) expect += rs[i].output_tokens;
  CHECK(r.out == "2000 " + std::to_string(expect));
}

TEST_CASE("larger batches serve the same conversation arrivals with lower latency") {
  std::vector<double> mean;
  for (int batch : {2, 8, 64}) {
    auto r = test::fork_run([batch] {
      Scenario sc = load_scenario(kScenario, {"workload.requests=1000", "platform.cloud.max_batch=" + std::to_string(batch)});
      return std::to_string(run_scenario(sc).summary.latency_ms.mean);
    });
    REQUIRE(r.ok);
    mean.push_back(std::stod(r.out));
  }
  CHECK(mean[0] > mean[1]);
  CHECK(mean[1] > mean[2]);
}
