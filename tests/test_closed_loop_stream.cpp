// A closed loop reads its requests from a streamed source as its users ask
// for them, queueing those read ahead of their edges, and puts finished
// records back into request order; both buffers spill to temporary files.
// Neither may change a record: a multi-turn closed loop over many edges
// gives the same records, byte for byte and in the same order, whether its
// requests come whole or streamed, and whether what waits stays in memory
// or goes to the files, at its end or stopped at a horizon. Where edges progress evenly, the requests read
// ahead and the records waiting stay far below the run's length.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <random>
#include <sstream>

#include "sim/engine/spill_codec.hpp"
#include "sim/engine/record_order.hpp"
#include "tests/engine_fixtures.hpp"
#include "tests/fork_run.hpp"
#include "workloads/rng.hpp"

using namespace msao;
using namespace msao::test;

namespace {

constexpr int kEdges = 100, kTurns = 4;
constexpr size_t kRequests = 20000;  // 50 sessions per edge

// Request i: turn i % kTurns of session i / kTurns, sessions dealt to the
// edges in turn, sizes varying so that turns take different times.
Request make_request(size_t i) {
  Request q = serving_request(i, 0, 20 + static_cast<int>(i * 7 % 50), 2 + static_cast<int>(i * 13 % 9));
  q.session = i / kTurns + 1;
  q.turn = static_cast<int>(i % kTurns) + 1;
  q.edge = static_cast<int>((i / kTurns) % kEdges);
  return q;
}

// The same requests made one at a time, as a generator hands them out.
class MadeSource final : public RequestSource {
 public:
  explicit MadeSource(size_t n, int bad_at = -1) : n_(n), bad_at_(bad_at) {}
  bool next(Request& out) override {
    if (i_ >= n_) return false;
    out = make_request(i_);
    if (static_cast<int>(i_) == bad_at_) out.edge = kEdges + 5;
    ++i_;
    return true;
  }
  size_t size() const override { return n_; }

 private:
  size_t n_, i_ = 0;
  int bad_at_;
};

// kEdges edges of `users` users each, every request offloaded to one cloud GPU.
SimSetup closed_setup(int users) {
  SimSetup s;
  s.platform = one_edge_platform(1e8, 0.01);
  s.platform.edge_groups[0].count = kEdges;
  s.cloud_cost = linear_cloud_cost(1e-3, 0.02);
  s.planner = serving_planner(1e4, 1e3);
  s.users_per_edge = users;
  return s;
}

struct Run {
  bool streamed = false;
  bool even = false;  // a fixed think time: edges progress together
  double horizon_s = 0;
  size_t held_in_memory = kHeldInMemory;
  size_t requests = kRequests;
};

// One run in a child: its records' digest, count, whether their ids run
// 0..n-1, how many are unfinished, and the peaks of its buffers.
std::string run_closed(const Run& r) {
  auto out = fork_run([&] {
    SimSetup s = closed_setup(2);
    s.make_think = [even = r.even](int edge, int user) {
      auto rng = std::make_shared<Rng>(7, "think-" + std::to_string(edge) + "-" + std::to_string(user));
      return std::function<double()>([rng, even] { return even ? 1.0 : rng->exponential(1.0); });
    };
    if (r.streamed) {
      s.source = std::make_shared<MadeSource>(r.requests);
      s.edges_with_requests.assign(kEdges, true);
    } else {
      for (size_t i = 0; i < r.requests; ++i) s.requests.push_back(make_request(i));
    }
    s.horizon_s = r.horizon_s;
    s.held_in_memory = r.held_in_memory;
    std::string bytes;
    size_t n = 0, unfinished = 0;
    bool in_order = true;
    s.keep_records = false;
    s.on_record = [&](const RequestRecord& rec) {
      in_order = in_order && rec.id == n++;
      unfinished += rec.status != RequestStatus::Completed;
      encode_record(rec, bytes);
    };
    const SimResult res = run_simulation(std::move(s));
    std::ostringstream os;
    os << std::hash<std::string>{}(bytes) << " " << n << " " << in_order << " " << unfinished << " "
       << res.peak_read_ahead << " " << res.peak_read_ahead_in_memory << " " << res.peak_started << " "
       << res.peak_waiting_records << " " << res.peak_records_in_memory;
    return os.str();
  });
  REQUIRE_MESSAGE(out.ok, out.out);
  return out.out;
}

struct Outcome {
  std::string digest;
  size_t n = 0, unfinished = 0, read_ahead = 0, read_ahead_in_memory = 0, started = 0, waiting = 0, in_memory = 0;
  bool in_order = false;
};

Outcome parse(const std::string& s) {
  Outcome o;
  std::istringstream is(s);
  is >> o.digest >> o.n >> o.in_order >> o.unfinished >> o.read_ahead >> o.read_ahead_in_memory >> o.started >>
      o.waiting >> o.in_memory;
  return o;
}

}  // namespace

TEST_CASE("a closed loop streamed from its source, records spilled or not, leaves the same records in order") {
  for (double horizon : {0.0, 60.0}) {
    CAPTURE(horizon);
    const Outcome whole = parse(run_closed({false, false, horizon}));
    const Outcome streamed = parse(run_closed({true, false, horizon}));
    const Outcome spilled = parse(run_closed({true, false, horizon, 16}));
    CHECK(whole.n == kRequests);
    CHECK(whole.in_order);
    if (horizon > 0) {
      CHECK(whole.unfinished > kRequests / 4);
      CHECK(whole.unfinished < kRequests);
    } else {
      CHECK(whole.unfinished == 0);
    }
    CHECK(streamed.digest == whole.digest);
    CHECK(spilled.digest == whole.digest);
    // Uneven think times: edges drift apart, records wait and requests are
    // read ahead; 16 of each in memory (and a request per edge read back
    // from the file), the rest in the files.
    CHECK(spilled.waiting > 200);
    CHECK(spilled.in_memory <= 16);
    CHECK(spilled.read_ahead > 200);
    CHECK(spilled.read_ahead_in_memory <= 16 + kEdges);
  }
}

TEST_CASE("where edges progress evenly, a streamed closed loop holds a few sessions per edge, not the run") {
  const Outcome o = parse(run_closed({true, true, 0}));
  REQUIRE(o.n == kRequests);
  CHECK(o.in_order);
  // 100 edges x 2 users hold at most 200 requests started at once.
  CHECK(o.started <= 2 * kEdges);
  // Read ahead and waiting: of the order of a few sessions per edge (4 turns each), far below 20,000.
  CHECK(o.read_ahead < 4 * kEdges * kTurns);
  CHECK(o.waiting < 4 * kEdges * kTurns);
  // Twice the run, twice as many sessions per edge: the same spread between edges.
  const Outcome twice = parse(run_closed({true, true, 0, kHeldInMemory, 2 * kRequests}));
  REQUIRE(twice.n == 2 * kRequests);
  CHECK(twice.read_ahead < o.read_ahead * 3 / 2);
  CHECK(twice.waiting < o.waiting * 3 / 2);
}

TEST_CASE("a streamed closed loop whose request names an edge the platform lacks ends with that error") {
  auto out = fork_run([] {
    SimSetup s = closed_setup(1);
    s.make_think = [](int, int) { return std::function<double()>([] { return 1.0; }); };
    s.source = std::make_shared<MadeSource>(kRequests, 777);
    s.edges_with_requests.assign(kEdges, true);
    try {
      run_simulation(std::move(s));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  });
  REQUIRE(out.ok);
  CHECK(out.out == "request 777 names edge 105 but the platform has 100");
}

TEST_CASE("records put in any order leave in index order, each field intact, past the memory limit") {
  constexpr size_t n = 5000;
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937(3));
  auto record_of = [](size_t i) {
    RequestRecord r;
    r.id = i;
    r.dataset = "set-" + std::to_string(i % 7);
    r.decision = std::string(i % 40, 'x');  // past the small-string buffer for some
    r.arrival = static_cast<double>(i) / 3;
    r.edge_mem.kv = static_cast<double>(i) * 1.5;
    r.status = RequestStatus::Completed;
    return r;
  };
  std::vector<std::string> seen;
  RecordOrder ro([&](const RequestRecord& r) {
    std::string b;
    encode_record(r, b);
    seen.push_back(b);
  }, 64);
  for (size_t i : order) ro.put(i, record_of(i));
  CHECK(ro.waiting() == 0);
  CHECK(ro.peak_in_memory() <= 64);
  CHECK(ro.peak_waiting() > 1000);
  CHECK(ro.runs_written() > 16);  // more runs than are kept apart: they were merged
  CHECK(ro.file_held() == 0);     // every byte written was read back and released
  REQUIRE(seen.size() == n);
  for (size_t i = 0; i < n; ++i) {
    std::string b;
    encode_record(record_of(i), b);
    CHECK(seen[i] == b);
  }
}

TEST_CASE("records that wait go to a file in TMPDIR, and a TMPDIR that cannot hold one is an error") {
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old ? old : "";
  setenv("TMPDIR", "/nonexistent-msao-dir", 1);
  std::string error;
  try {
    RecordOrder ro([](const RequestRecord&) {}, 1);
    for (size_t i = 5000; i > 0; --i) ro.put(i, RequestRecord{});  // past the write buffer: the file opens
  } catch (const std::runtime_error& e) {
    error = e.what();
  }
  if (old) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  CHECK(error.find("cannot create it in /nonexistent-msao-dir") != std::string::npos);
}
