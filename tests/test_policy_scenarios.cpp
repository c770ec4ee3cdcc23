// Policies on whole simulations (one SimGrid engine per forked child):
// where the link decides between edge and cloud, the split policies against
// the extremes, the oracle as an upper bound, and MSAO on the paper's setting.
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "sim/run/run_scenario.hpp"
#include "tests/fork_run.hpp"

using namespace msao;
using namespace msao::test;

namespace {

struct Stats {
  double p50_ms = 0, mean_ms = 0, accuracy = 0;
  size_t completed = 0, requests = 0;
};

Stats run_policy(const std::string& file, const std::string& policy, std::vector<std::string> over = {}) {
  over.push_back("policy.type=" + policy);
  auto r = fork_run([&] {
    const RunOutput out = run_scenario(load_scenario(std::string(MSAO_SOURCE_DIR) + "/" + file, over));
    std::ostringstream os;
    os.precision(17);
    os << out.summary.latency_ms.p50 << " " << out.summary.latency_ms.mean << " " << out.summary.accuracy << " "
       << out.summary.completed << " " << out.summary.requests;
    return os.str();
  });
  REQUIRE_MESSAGE(r.ok, r.out);
  Stats s;
  std::istringstream is(r.out);
  is >> s.p50_ms >> s.mean_ms >> s.accuracy >> s.completed >> s.requests;
  CHECK(s.completed == s.requests);
  return s;
}

std::string uplink(const char* bw) {
  return std::string("platform.edges=[{name: edge, count: 1, hardware: rtx3090, uplink: {bandwidth: ") + bw +
         ", rtt: 20ms}}]";
}

const char* kVideo = "platforms/scenarios/video-link.yaml";

}  // namespace

TEST_CASE("at 1 Mbit/s edge-only beats cloud-only on latency and at 1 Gbit/s with a light cloud load the reverse") {
  const Stats e1 = run_policy(kVideo, "edge-only", {uplink("1Mbps")});
  const Stats c1 = run_policy(kVideo, "cloud-only", {uplink("1Mbps")});
  CHECK(e1.p50_ms < c1.p50_ms);
  CHECK(e1.mean_ms < c1.mean_ms);
  const Stats e2 = run_policy(kVideo, "edge-only", {uplink("1Gbps")});
  const Stats c2 = run_policy(kVideo, "cloud-only", {uplink("1Gbps")});
  CHECK(c2.p50_ms < e2.p50_ms);
  CHECK(c2.mean_ms < e2.mean_ms);
}

TEST_CASE("neurosurgeon and dads are never worse than both extremes on a static link") {
  for (const char* bw : {"1Mbps", "300Mbps", "1Gbps"}) {
    CAPTURE(bw);
    const Stats e = run_policy(kVideo, "edge-only", {uplink(bw)});
    const Stats c = run_policy(kVideo, "cloud-only", {uplink(bw)});
    for (const char* pol : {"neurosurgeon", "dads"}) {
      CAPTURE(pol);
      const Stats s = run_policy(kVideo, pol, {uplink(bw)});
      CHECK(s.mean_ms <= std::max(e.mean_ms, c.mean_ms));
      // All-cloud is one of their candidate placements.
      CHECK(s.mean_ms <= c.mean_ms * 1.001);
    }
  }
}

TEST_CASE("no policy beats the oracle") {
  // Accuracy: the oracle answers correctly whenever any candidate does.
  // Latency: on the paper's setting it is also the fastest on average.
  for (const char* file : {"platforms/scenarios/quickstart.yaml", kVideo}) {
    CAPTURE(file);
    const Stats o = run_policy(file, "oracle");
    for (const auto& info : all_policies()) {
      if (info.name == "oracle") continue;
      CAPTURE(info.name);
      const Stats s = run_policy(file, info.name);
      CHECK(s.accuracy <= o.accuracy);
      if (std::string(file).find("quickstart") != std::string::npos) CHECK(o.mean_ms <= s.mean_ms);
    }
  }
}

TEST_CASE("msao on vqav2 at 300 Mbit/s keeps cloud-only accuracy within 1 point with a lower median latency than both") {
  const char* paper = "platforms/scenarios/paper.yaml";
  const Stats m = run_policy(paper, "msao"), c = run_policy(paper, "cloud-only"), e = run_policy(paper, "edge-only");
  MESSAGE("msao p50 " << m.p50_ms << " ms acc " << m.accuracy << "; cloud-only " << c.p50_ms << " ms acc "
                      << c.accuracy << "; edge-only " << e.p50_ms << " ms acc " << e.accuracy);
  CHECK(std::abs(m.accuracy - c.accuracy) <= 0.01);
  CHECK(m.p50_ms < c.p50_ms);
  CHECK(m.p50_ms < e.p50_ms);
}
