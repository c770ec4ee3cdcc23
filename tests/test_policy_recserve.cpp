// recserve (policies/recserve.cpp): RecServe's sliding-window quantile
// threshold on a hand-built confidence sequence: interpolation between
// order statistics, the window dropping its oldest confidence, one window
// per edge device.
#include <doctest/doctest.h>

#include <vector>

#include "tests/policy_test_util.hpp"

using namespace msao;
using namespace msao::test;

TEST_CASE("recserve: the threshold is the interpolated quantile of the device's last `window` confidences") {
  const Planner pl = paper_planner();
  auto pol = make_policy("recserve", {{"window", 4}, {"quantile", 0.5}});
  const Observation o = link(300e6 / 8);
  // Confidences in, threshold each sees (the window before it), by hand:
  //   0.2: empty window -> offload (threshold above any confidence)
  //   0.8: {0.2} -> 0.2                 0.4: {0.2, 0.8} -> 0.5
  //   0.6: {0.2, 0.4, 0.8} -> 0.4       0.9: {0.2, 0.4, 0.6, 0.8} -> p = 1.5 -> 0.5
  //   0.5: {0.4, 0.6, 0.8, 0.9} (0.2 dropped) -> p = 1.5 -> 0.7
  const std::vector<double> conf{0.2, 0.8, 0.4, 0.6, 0.9, 0.5};
  const std::vector<double> expect{2.0, 0.2, 0.5, 0.4, 0.5, 0.7};
  const std::vector<const char*> label{"recserve:escalate", "recserve:edge", "recserve:escalate",
                                       "recserve:edge",     "recserve:edge", "recserve:escalate"};
  for (size_t i = 0; i < conf.size(); ++i) {
    CAPTURE(i);
    Request r = image_request(0.4, 0.9, conf[i]);
    r.id = i + 1;
    const Plan p = decide(*pol, r, o, pl);
    CHECK(p.spec == Speculation::Cascade);
    CHECK(p.confidence_threshold == doctest::Approx(expect[i]));
    CHECK(p.label == label[i]);
  }
  // Another edge device has its own, still empty, window.
  Observation other = o;
  other.edge = 1;
  CHECK(decide(*pol, image_request(0.4, 0.9, 0.99), other, pl).label == "recserve:escalate");
}
