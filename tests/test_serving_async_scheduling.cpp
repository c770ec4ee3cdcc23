// Async scheduling (CloudCost::schedules_ahead) and decode attention's
// fixed time per call: hand-computed small cases.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "sim/cost/cost_model.hpp"
#include "sim/cost/hardware.hpp"
#include "sim/cost/model_spec.hpp"
#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"

using namespace msao;

namespace {

constexpr double kStep = 0.010;  // every iteration takes 10 ms, whatever it holds

// Two one-token-prompt requests of three output tokens each, offloaded over
// an instant link, B arriving b_arrival after A; each iteration costs kStep.
// Returns "cloud_start(A) first_token(A) cloud_start(B) first_token(B)" in
// the server's clock.
std::string two_requests(double b_arrival, bool ahead) {
  SimSetup s;
  s.platform = test::one_edge_platform(1e15, 0);
  CloudCost cc;
  cc.iteration = [](const std::vector<cost::PrefillChunk>&, const std::vector<int>&) {
    return IterationCost{kStep, 0, 0, 0};
  };
  cc.kv_bytes_per_token = 1;
  cc.kv_capacity_bytes = 1e12;
  cc.max_batch = 64;
  cc.schedules_ahead = ahead;
  s.cloud_cost = cc;
  for (int i = 0; i < 2; ++i) {
    Request q;
    q.id = static_cast<uint64_t>(i);
    q.arrival_s = i == 0 ? 0 : b_arrival;
    q.output_tokens = 3;
    q.prompt_tokens = 1;
    s.requests.push_back(q);
  }
  s.planner = test::serving_planner(1, 1);
  const SimResult r = run_simulation(s);
  std::ostringstream os;
  os.precision(17);
  for (const RequestRecord& rec : r.records) os << rec.cloud_start << " " << rec.cloud_first_token << " ";
  return os.str();
}

struct Starts {
  double a_start, a_first, b_start, b_first;
};

Starts parse(const std::string& s) {
  std::istringstream is(s);
  Starts t{};
  is >> t.a_start >> t.a_first >> t.b_start >> t.b_first;
  return t;
}

}  // namespace

TEST_CASE("async scheduling: a request arriving during an iteration joins the one after next") {
  // B reaches the server halfway through A's second iteration. A server
  // that schedules between iterations starts B's prefill when that
  // iteration ends; one that scheduled the next iteration while the second
  // ran starts it an iteration later. (Both requests cross the same instant
  // link, so their times on the server keep their arrival gap.)
  for (const bool ahead : {false, true}) {
    CAPTURE(ahead);
    const auto r = test::fork_run([=] { return two_requests(1.5 * kStep, ahead); });
    REQUIRE(r.ok);
    const Starts t = parse(r.out);
    CHECK(t.a_first - t.a_start == doctest::Approx(kStep));  // an idle server takes A at once
    const double b_begins = t.a_start + (ahead ? 3 : 2) * kStep;
    CHECK(t.b_first == doctest::Approx(b_begins + kStep).epsilon(1e-9));
  }
}

TEST_CASE("async scheduling: an idle server schedules an arrival at once") {
  // B arrives after A has finished (three iterations): nothing runs, so
  // nothing was scheduled ahead, and B's prefill starts when it arrives.
  const auto r = test::fork_run([] { return two_requests(5 * kStep, true); });
  REQUIRE(r.ok);
  const Starts t = parse(r.out);
  CHECK(t.b_first - t.b_start == doctest::Approx(kStep));
  CHECK(t.b_start == doctest::Approx(t.a_start + 5 * kStep).epsilon(1e-9));
}

TEST_CASE("H100 decode attention: a fixed time per layer plus the KV bytes at 0.82 of peak") {
  const cost::CostModel m(cost::load_model("llama-2-7b"), cost::load_hardware("h100-sxm"));
  const auto attention_s = [&](int batch, int context) {
    for (const cost::StageCost& row : m.iteration_breakdown({}, std::vector<int>(batch, context)))
      if (row.stage == "attention_decode") return row.seconds;
    return -1.0;
  };
  const double layers = 32, kv_per_token = m.kv_bytes_per_token();
  // Closed form: 13.7 us a layer, then bytes / (0.82 x 3350 GB/s); the
  // roofline's compute term (4 FLOPs a cached token and head dimension)
  // never binds at these shapes.
  for (const std::pair<int, int> shape : {std::pair{1, 64}, std::pair{1, 4096}, std::pair{83, 699}}) {
    // (Not a structured binding: clang refuses one captured by CAPTURE.)
    const int batch = shape.first, context = shape.second;
    CAPTURE(batch);
    CAPTURE(context);
    const double bytes = double(batch) * (context + 1) * kv_per_token;  // each reads its context and the new token
    CHECK(attention_s(batch, context) == doctest::Approx(layers * 13.7e-6 + bytes / (0.82 * 3350e9)).epsilon(1e-3));
  }
  // So the bandwidth a batch reaches grows with its KV: a short one is
  // mostly fixed time, a long one approaches 0.82 of peak (0.78 here, the
  // fixed time being 4% of it).
  const double short_bw = 65 * kv_per_token / attention_s(1, 64);
  const double long_bw = 83 * 700 * kv_per_token / attention_s(83, 699);
  CHECK(short_bw < 0.1 * 3350e9);
  CHECK(long_bw > 0.75 * 3350e9);
  CHECK(long_bw < 0.82 * 3350e9);
}
