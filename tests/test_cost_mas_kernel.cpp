// MAS analysis on the edge costs the kernel path (cost::CostModel::mas_kernel,
// kernels/mas.hpp): on the paper scenario's edge (RTX 3090, Qwen2-VL-2B) it
// stays under 2% of the edge's prefill for every generated request, and its
// seconds and FLOPs are charged to the edge by the planner when a plan runs
// MAS there, and only then.
#include <doctest/doctest.h>

#include "tests/policy_test_util.hpp"
#include "workloads/generator.hpp"

using namespace msao;

namespace {

// Work the kernel does for one modality, by hand, from kernels/mas.hpp's
// shapes and the catalog's Qwen2-VL vision tower (width 1280, 16 heads,
// patch 14, temporal merge 2).
double kernel_flops_by_hand(double positions, double prompt_tokens, double frames) {
  const double w = 1280, heads = 16, d = 80, in = 3.0 * 14 * 14 * 2;
  return 2 * positions * in * w + 2 * (positions + prompt_tokens) * w * w + 2 * heads * prompt_tokens * positions * d +
         5 * heads * prompt_tokens * positions + 2 * frames * 64 * w + 4 * (prompt_tokens + positions) * w;
}

}  // namespace

TEST_CASE("MAS analysis on the paper's edge stays under 2% of the edge's prefill") {
  const Planner pl = test::paper_planner();
  for (const auto& ds : generator_datasets()) {
    CAPTURE(ds);
    double worst = 0;
    for (const auto& r : generate_requests(ds, 500, 2)) {
      int tokens = r.prompt_tokens;
      for (int m = 0; m < kNumModalities; ++m)
        if (r.inputs[m].present) tokens += pl.edge().encoder_tokens(static_cast<Modality>(m), r.inputs[m]);
      const auto prefill = pl.edge().prefill(tokens);
      const auto [mas_s, mas_flops] = pl.mas_cost(r);
      REQUIRE(mas_s > 0);
      REQUIRE(mas_flops > 0);
      CHECK(mas_s < 0.02 * prefill.seconds);
      CHECK(mas_flops < 0.02 * prefill.flops);
      worst = std::max(worst, mas_s / prefill.seconds);
    }
    MESSAGE(ds << ": MAS analysis at most " << 100 * worst << "% of the edge's prefill");
  }
}

TEST_CASE("the MAS kernel's work is its shapes' and the planner charges it to the edge") {
  const Planner pl = test::paper_planner();
  const Request r = test::image_request(0.4, 0.9, 0.5);
  const Modality img = Modality::Image;
  const auto k = pl.edge().mas_kernel(img, r.input(img), r.prompt_tokens);
  const double positions = pl.edge().encoder_positions(img, r.input(img));
  CHECK(k.flops == doctest::Approx(kernel_flops_by_hand(positions, r.prompt_tokens, 1)));
  CHECK(k.seconds > 0);
  // Far below the whole vision encoder it replaces as MAS's cost.
  CHECK(k.flops < 0.1 * pl.edge().encoder(img, r.input(img)).flops);
  // Counted: a plan that computes MAS on the edge carries exactly its seconds and FLOPs more.
  Plan with;
  with.placement = Placement::Cloud;
  with.keep = {0.5, 1, 1};
  with.mas_on_edge = true;
  Plan without = with;
  without.mas_on_edge = false;
  const ExecPlan a = pl.plan(r, with), b = pl.plan(r, without);
  CHECK(a.edge_flops - b.edge_flops == doctest::Approx(k.flops));
  CHECK(a.edge_pre_s - b.edge_pre_s == doctest::Approx(k.seconds));
  CHECK(pl.mas_cost(r).second == doctest::Approx(k.flops));
}
