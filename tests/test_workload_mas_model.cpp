// The joint model of MAS and answer quality (traces/README.md, "The joint
// model"): pruning below a request's needed fraction costs accuracy smoothly
// and monotonically, above it nothing; the generators' MAS carries
// information about correctness; the pruning curve reproduces the published
// accuracy-versus-kept-tokens figures it is calibrated to; the modal part
// drops some VQAv2 images; and msao with MAS on loses, against MAS off,
// exactly the answers the model says its drops cost; a recorded trace's
// correctness columns are used as given.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "policies/msao_core.hpp"
#include "sim/run/run_scenario.hpp"
#include "tests/fork_run.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/generator.hpp"
#include "workloads/mas.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/trace_stats.hpp"

using namespace msao;

namespace {

using Keep = std::array<double, kNumModalities>;

// Keep fractions at `f` times each present modality's needed fraction.
Keep keep_at_need(const Request& r, double f) {
  Keep k{1, 1, 1};
  for (int m = 0; m < kNumModalities; ++m)
    if (r.inputs[m].present) k[m] = f * needed_fraction(r.inputs[m].mas.spatial, r.inputs[m].mas.temporal);
  return k;
}

PolicyParams msao_defaults(const PolicyParams& over) {
  PolicyParams p;
  for (const auto& s : msao_param_specs()) p[s.name] = s.dflt;
  for (const auto& [k, v] : over) p[k] = v;
  return p;
}

}  // namespace

TEST_CASE("pruning below the needed fraction lowers accuracy monotonically and smoothly, above it costs nothing") {
  for (const auto& ds : generator_datasets()) {
    CAPTURE(ds);
    const auto rs = generate_requests(ds, 3000, 11);
    double full = 0;
    for (const auto& r : rs) full += r.edge_correct_full;
    double prev_acc = -1;
    for (double f : {0.0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 0.95, 1.0, 1.1, 1.5, 3.0}) {
      CAPTURE(f);
      double acc = 0, expected_loss = 0;
      for (const auto& r : rs) {
        const Keep k = keep_at_need(r, f);
        acc += correct_under_keep(r.edge_correct_full, r, k);
        // Per request, the verdict can only get better with more kept.
        if (prev_acc >= 0) CHECK(correct_under_keep(r.edge_correct_full, r, k) >= correct_under_keep(r.edge_correct_full, r, keep_at_need(r, f * 0.9)));
        if (r.edge_correct_full) expected_loss += 1.0 - request_retention(r, k);
      }
      if (f >= 1.0) {
        CHECK(acc == full);  // nothing that matters is lost: not even one answer
        CHECK(expected_loss == 0.0);
      } else {
        // Close to the need the expected loss is a few answers in 3000 (it may round to none).
        if (f <= 0.9) CHECK(acc < full);
        // Smooth, not a step: the expected share lost is at most (1 - f)^2
        // per modality (modal <= 1), so it vanishes as f -> 1.
        const int modalities = ds == "video-qa" || ds == "video-caption" ? 2 : 1;
        CHECK(expected_loss / full <= modalities * (1 - f) * (1 - f) + 1e-12);
        CHECK(expected_loss > 0);
      }
      CHECK(acc >= prev_acc);
      prev_acc = acc;
    }
  }
}

TEST_CASE("the model's pruning curve reproduces the published accuracy-versus-kept-tokens figures") {
  // Every image pruned to the same fraction of its 576 LLaVA-1.5 tokens;
  // expected share of correct answers kept (cloud model, the 7B analogue).
  // Published (LLaVA-1.5-7B, traces/README.md "Calibration"): VisionZip keeps
  // 97.8/96.3/92.2% (VQAv2) and 97.4/95.8/92.9% (MMBench) at 192/128/64 tokens;
  // with no visual token at all 61% (GQA, the VQAv2 proxy) and 30% (MMBench).
  struct Target {
    const char* ds;
    double at192, at128, at64, blind;
  };
  for (const Target t : {Target{"vqav2", 0.978, 0.963, 0.922, 0.608}, Target{"mmbench", 0.974, 0.958, 0.929, 0.299}}) {
    CAPTURE(t.ds);
    const auto rs = generate_requests(t.ds, 20000, 5);
    const auto curve = pruning_curve(rs, {192.0 / 576, 128.0 / 576, 64.0 / 576, 0.0});
    // The fit is over three points per dataset with two parameters: within 1.5 points.
    CHECK(std::fabs(curve[0].cloud - t.at192) < 0.015);
    CHECK(std::fabs(curve[1].cloud - t.at128) < 0.015);
    CHECK(std::fabs(curve[2].cloud - t.at64) < 0.015);
    CHECK(std::fabs(curve[3].cloud - t.blind) < 0.04);
  }
}

TEST_CASE("MAS now carries information about correctness, and confidence keeps its own") {
  // The latent difficulty z raises the spatial and modal parts (rho 0.5 each)
  // and lowers the confidence (U = Phi(-z)), so MAS and correctness are
  // negatively correlated. An independent Monte Carlo of the stated
  // distributions (scripts/calibrate-mas-pruning) gives -0.27 (VQAv2) and
  // -0.22 (MMBench); with 10k requests the sd of r is about 0.01, so
  // [-0.45, -0.15] holds them with room, and excludes the old |r| <= 0.05.
  for (const auto& ds : {std::string("vqav2"), std::string("mmbench")}) {
    CAPTURE(ds);
    const auto rs = generate_requests(ds, 10000, 3);
    const auto c = mas_correlations(rs);
    CHECK(c.mas_vs_edge_correct < -0.15);
    CHECK(c.mas_vs_edge_correct > -0.45);
    CHECK(c.mas_vs_cloud_correct < -0.1);
    // Confidence's correlation with correctness is the calibrated rule's, as before (0.56-0.59).
    CHECK(c.confidence_vs_edge_correct > 0.53);
    CHECK(c.confidence_vs_edge_correct < 0.62);
  }
}

TEST_CASE("video-qa exercises the temporal part: static clips need far fewer frames than dynamic ones") {
  const auto rs = generate_requests("video-qa", 10000, 3);
  std::vector<double> temporal, correct;
  int low = 0, high = 0;
  for (const auto& r : rs) {
    const double t = r.input(Modality::Video).mas.temporal;
    temporal.push_back(t);
    correct.push_back(r.edge_correct_full);
    low += t < 0.25;
    high += t > 0.5;
  }
  // Half the clips are static (temporal median logistic(-1.6) = 0.17), half
  // dynamic (median 0.45, 0.57 for temporal questions): both modes are populated.
  CHECK(low > 2500);
  CHECK(high > 1500);
  CHECK(pearson(temporal, correct) < -0.05);  // the latent difficulty couples them
  // Keeping fewer frames than needed costs accuracy through the temporal part alone.
  double kept_all = 0, kept_half = 0;
  for (const auto& r : rs) {
    Keep k = keep_at_need(r, 1.0), half = k;
    half[static_cast<int>(Modality::Video)] *= 0.5;
    kept_all += correct_under_keep(r.edge_correct_full, r, k);
    kept_half += correct_under_keep(r.edge_correct_full, r, half);
  }
  CHECK(kept_half < kept_all);
}

TEST_CASE("the modal part drops some VQAv2 images at msao's default threshold") {
  // modal ~ logit-normal(-0.45, 1.2) (the copula keeps the marginal), so
  // P(modal < 0.1) = Phi((logit(0.1) + 0.45) / 1.2) = Phi(-1.456) = 0.0727;
  // 3 binomial sd at n = 10k is 0.0078.
  const auto rs = generate_requests("vqav2", 10000, 3);
  const MsaoRule rule(msao_defaults({}));
  int dropped = 0, lost = 0;
  for (const auto& r : rs) {
    const Keep k = rule.keep_of(r);
    if (k[0] == 0.0) {
      ++dropped;
      lost += r.cloud_correct_full && !verdict_under_keep(r.cloud_correct_full, r.cloud_correct_pruned, r, k);
    }
  }
  CHECK(std::fabs(dropped / 10000.0 - 0.0727) < 0.0078);
  // Dropping an image the prompt barely needs (modal < 0.1) keeps over 90% of those answers.
  CHECK(lost < 0.1 * dropped);
}

TEST_CASE("msao with MAS off and on differ in accuracy as the joint model implies") {
  // msao always offloading (speculation off, edge_ratio huge), so the only
  // difference MAS makes is what the cloud sees: keep = needed x 1.1 (no
  // loss, by the model) and images with modal < drop_modal dropped (loss
  // 1 - modal each, decided by prune_u). The model's count of lost answers
  // is exact: accuracy(off) - accuracy(on) = lost / n.
  const int n = 300;
  const auto rs = generate_requests("vqav2", n, 1);
  auto expected_lost = [&](double drop_modal) {
    const MsaoRule rule(msao_defaults({{"drop_modal", drop_modal}}));
    int lost = 0;
    for (const auto& r : rs)
      lost += r.cloud_correct_full && !verdict_under_keep(r.cloud_correct_full, r.cloud_correct_pruned, r, rule.keep_of(r));
    return lost;
  };
  auto accuracy = [&](const std::string& mas_aware, const std::string& drop_modal) {
    auto r = test::fork_run([&] {
      const RunOutput out = run_scenario(load_scenario(
          std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml",
          {"workload.requests=" + std::to_string(n), "policy.type=msao", "policy.speculation=0",
           "policy.edge_ratio=1000", "policy.mas_aware=" + mas_aware, "policy.drop_modal=" + drop_modal}));
      std::ostringstream os;
      os << out.summary.completed << " " << std::lround(out.summary.accuracy * out.summary.completed);
      return os.str();
    });
    REQUIRE_MESSAGE(r.ok, r.out);
    std::istringstream is(r.out);
    long completed = 0, correct = 0;
    is >> completed >> correct;
    CHECK(completed == n);
    return correct;
  };
  long full = 0;
  for (const auto& r : rs) full += r.cloud_correct_full;
  const long off = accuracy("0", "0.1");
  CHECK(off == full);
  const int lost = expected_lost(0.1);
  CHECK(lost > 0);  // drops are not free: some answers depended on the image
  CHECK(accuracy("1", "0.1") == off - lost);
  // Pruning to the needed fraction with its margin, dropping nothing: no answer lost.
  CHECK(expected_lost(0.0) == 0);
  CHECK(accuracy("1", "0") == off);
}

TEST_CASE("a recorded trace's correctness columns are used as given by the simulator's verdict") {
  // One image needing 0.4 of its content, modal 0.5, MAS 0.2; prune_u 0 (the
  // model alone would let every answer survive any pruning but a drop).
  Request r;
  auto& img = r.input(Modality::Image);
  img.present = true;
  img.mas = {0.2, 0.4, 1.0, 0.5};
  r.prune_u = 0.0;
  const Keep full{1, 1, 1}, need{0.4, 1, 1}, mas{0.2, 1, 1}, between{0.3, 1, 1}, below{0.1, 1, 1};
  // Recorded: correct on the full input, wrong when pruned to the MAS.
  CHECK(verdict_under_keep(true, false, r, full));
  CHECK(verdict_under_keep(true, false, r, need));      // nothing that matters lost: the full answer
  CHECK(!verdict_under_keep(true, false, r, mas));      // the recorded pruned answer
  CHECK(!verdict_under_keep(true, false, r, below));    // less kept cannot bring it back
  CHECK(verdict_under_keep(true, false, r, between));   // more kept: the model's answer
  CHECK(correct_under_keep(true, r, mas));              // where the model alone would say correct
  // Recorded: wrong on the full input, right when pruned (pruning can help a model).
  CHECK(!verdict_under_keep(false, true, r, full));
  CHECK(verdict_under_keep(false, true, r, mas));
  CHECK(verdict_under_keep(false, true, r, between));
  // Below the MAS keep the recorded pruned answer is thinned: retention at
  // keep 0.1 is 1 - 0.5 x 0.75^2 = 0.71875, at the MAS keep 0.2 it is 0.875.
  r.prune_u = 0.8;  // agrees with the model at the MAS keep (0.8 < 0.875): the model decides
  CHECK(verdict_under_keep(true, true, r, mas));
  CHECK(!verdict_under_keep(true, true, r, below));  // 0.8 >= 0.71875
  // A recorded survivor the model would have lost (0.9, 0.99 >= 0.875): prune_u
  // rescaled to (u - 0.875) / 0.125 survives iff below 0.71875 / 0.875 = 0.821.
  r.prune_u = 0.9;
  CHECK(verdict_under_keep(true, true, r, mas));
  CHECK(verdict_under_keep(true, true, r, below));  // 0.2 < 0.821
  r.prune_u = 0.99;
  CHECK(verdict_under_keep(true, true, r, mas));
  CHECK(!verdict_under_keep(true, true, r, below));  // 0.92 >= 0.821
  // For every generated request the verdict is the model's, at every keep.
  for (const auto& g : generate_requests("video-qa", 500, 4))
    for (double f : {0.0, 0.05, 0.2, 0.5, 1.0})
      for (const Keep k : {Keep{f, f, f}, Keep{f, 1.0, 0.0}, Keep{1.0, f, 1.0}}) {
        CHECK(verdict_under_keep(g.edge_correct_full, g.edge_correct_pruned, g, k) ==
              correct_under_keep(g.edge_correct_full, g, k));
        CHECK(verdict_under_keep(g.cloud_correct_full, g.cloud_correct_pruned, g, k) ==
              correct_under_keep(g.cloud_correct_full, g, k));
      }
}

TEST_CASE("a simulation takes a recorded trace's pruned-correctness columns as given") {
  // The bundled VQAv2 trace, and the same rows with both *_pruned columns set
  // to 0 (a recording where every pruned answer was wrong: the model would
  // not give it, and the reader used to reject it). msao offloading every
  // request with drop_modal as given: the accuracy is exactly the verdicts'
  // over the rows, and with every image dropped the recorded zeros decide.
  const std::string original = std::string(MSAO_SOURCE_DIR) + "/traces/mas/vqav2-1k.csv";
  auto rs = read_mas_trace(original);
  for (auto& r : rs) r.edge_correct_pruned = r.cloud_correct_pruned = false;
  const std::string zeroed = test::scratch_path("vqav2-pruned-wrong.csv");
  write_mas_trace(zeroed, rs);
  auto correct_in_run = [&](const std::string& trace, const std::string& drop_modal) {
    auto r = test::fork_run([&] {
      const RunOutput out = run_scenario(load_scenario(
          std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml",
          {"workload={source: trace, trace: " + trace + ", arrival: {type: poisson, rate_rps: 2}}", "policy.type=msao",
           "policy.speculation=0", "policy.edge_ratio=1000", "policy.drop_modal=" + drop_modal}));
      return std::to_string(std::lround(out.summary.accuracy * out.summary.completed));
    });
    REQUIRE_MESSAGE(r.ok, r.out);
    return std::stol(r.out);
  };
  auto expected = [](const std::vector<Request>& rows, double drop_modal) {
    const MsaoRule rule(msao_defaults({{"drop_modal", drop_modal}}));
    long n = 0;
    for (const auto& r : rows) n += verdict_under_keep(r.cloud_correct_full, r.cloud_correct_pruned, r, rule.keep_of(r));
    return n;
  };
  const auto given = read_mas_trace(original);
  CHECK(correct_in_run(zeroed, "1") == 0);
  CHECK(correct_in_run(original, "1") == expected(given, 1.0));
  CHECK(expected(given, 1.0) > 300);  // dropping every image keeps about 60% of the answers under the model
  CHECK(correct_in_run(zeroed, "0.1") == expected(rs, 0.1));
  CHECK(correct_in_run(original, "0.1") == expected(given, 0.1));
  CHECK(expected(rs, 0.1) < expected(given, 0.1));
}

TEST_CASE("pruning blind to MAS at the same fractions keeps fewer answers, by the closed form") {
  // 1 - modal (1 - k)^2: equal to MAS-guided pruning at k = 0 and k = 1,
  // below it wherever MAS keeps all that matters.
  MasScore s;
  s.spatial = 0.4;
  s.temporal = 1.0;
  s.modal = 0.5;
  CHECK(uniform_pruning_retention(0.0, s) == doctest::Approx(0.5));
  CHECK(uniform_pruning_retention(1.0, s) == 1.0);
  CHECK(uniform_pruning_retention(0.6, s) == doctest::Approx(1 - 0.5 * 0.16));
  CHECK(pruning_retention(0.6, s) == 1.0);  // MAS-guided: 0.6 covers the needed 0.4
  // Over a generated dataset at MAS's own keep: never more answers, and fewer in all.
  const auto rs = generate_requests("vqav2", 3000, 11);
  int mas = 0, blind = 0;
  for (const auto& r : rs) {
    const Keep k = keep_at_need(r, 1.1);
    const bool a = correct_under_keep(r.cloud_correct_full, r, k), b = correct_under_uniform_keep(r.cloud_correct_full, r, k);
    CHECK(b <= a);
    mas += a;
    blind += b;
  }
  CHECK(blind < mas);
}

TEST_CASE("msao with uniform pruning uploads what MAS pruning does and answers worse") {
  auto run = [](const std::string& uniform) {
    auto r = test::fork_run([&] {
      Scenario sc = load_scenario(std::string(MSAO_SOURCE_DIR) + "/platforms/scenarios/paper.yaml",
                                  {"workload.requests=400", "policy.speculation=0", "policy.uniform=" + uniform});
      RunOptions opt;
      opt.keep_records = false;
      const RunOutput out = run_scenario(sc, opt);
      std::ostringstream os;
      os.precision(17);
      os << out.summary.uplink_bytes << " " << out.summary.accuracy;
      return os.str();
    });
    REQUIRE_MESSAGE(r.ok, r.out);
    std::istringstream is(r.out);
    std::pair<double, double> v;
    is >> v.first >> v.second;
    return v;
  };
  const auto mas = run("0"), blind = run("1");
  CHECK(blind.first == mas.first);   // the same bytes up
  CHECK(blind.second < mas.second);  // fewer answers right
}
