// Generated traces hit their targets over 10k requests: question-type mix,
// edge/cloud accuracy (the paper's edge-only and cloud-only figures),
// calibration of the edge confidence; and the same seed gives the same bytes.
// Tolerances: 3 binomial standard deviations at n = 10k (about 0.015 for a
// share near 0.5), 0.05 per calibration bin with at least 300 requests.
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "sim/config/input_error.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/generator.hpp"
#include "workloads/mas.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/trace_stats.hpp"

using namespace msao;

namespace {

struct Summary {
  std::map<std::string, double> share;
  std::map<std::string, double> edge_acc_by_cat, cloud_acc_by_cat;
  double edge_acc = 0, cloud_acc = 0;
};

Summary summarize(const std::vector<Request>& rs) {
  Summary s;
  std::map<std::string, double> n;
  for (const auto& r : rs) {
    n[r.category] += 1;
    s.edge_acc_by_cat[r.category] += r.edge_correct_full;
    s.cloud_acc_by_cat[r.category] += r.cloud_correct_full;
    s.edge_acc += r.edge_correct_full;
    s.cloud_acc += r.cloud_correct_full;
  }
  for (auto& [k, c] : n) {
    s.share[k] = c / double(rs.size());
    s.edge_acc_by_cat[k] /= c;
    s.cloud_acc_by_cat[k] /= c;
  }
  s.edge_acc /= double(rs.size());
  s.cloud_acc /= double(rs.size());
  return s;
}

void check_calibration(const std::vector<Request>& rs) {
  int checked = 0;
  for (const auto& b : confidence_calibration(rs)) {
    if (b.count < 300) continue;
    INFO("bin [" << b.lo << "," << b.hi << ") n=" << b.count);
    CHECK(std::fabs(b.accuracy - b.mean_confidence) < 0.05);
    ++checked;
  }
  CHECK(checked >= 3);  // the check covers a real spread of confidences
}

}  // namespace

TEST_CASE("vqav2 generator hits type mix and accuracy and calibration") {
  auto rs = generate_requests("vqav2", 10000, 7);
  REQUIRE(rs.size() == 10000);
  Summary s = summarize(rs);
  CHECK(std::fabs(s.share["yes-no"] - 0.3837) < 0.015);
  CHECK(std::fabs(s.share["number"] - 0.1231) < 0.010);
  CHECK(std::fabs(s.share["other"] - 0.4932) < 0.015);
  CHECK(std::fabs(s.edge_acc - 0.614) < 0.015);
  CHECK(std::fabs(s.cloud_acc - 0.763) < 0.015);
  CHECK(s.edge_acc_by_cat["yes-no"] > s.edge_acc_by_cat["number"]);
  check_calibration(rs);
  for (const auto& r : rs) {
    REQUIRE(r.input(Modality::Image).present);
    CHECK(std::max(r.input(Modality::Image).width, r.input(Modality::Image).height) == 640);
    if (r.category != "other") CHECK(r.output_tokens == 3);  // one word + EOS
  }
}

TEST_CASE("mmbench generator hits mean over dimensions and calibration") {
  auto rs = generate_requests("mmbench", 10000, 7);
  Summary s = summarize(rs);
  CHECK(s.share.size() == 20);
  double edge = 0, cloud = 0;
  for (auto& [k, a] : s.edge_acc_by_cat) edge += a / 20.0;
  for (auto& [k, a] : s.cloud_acc_by_cat) cloud += a / 20.0;
  // Each dimension has about 500 requests, so the mean of 20 has sd about 0.005.
  CHECK(std::fabs(edge - 0.612) < 0.02);
  CHECK(std::fabs(cloud - 0.765) < 0.02);
  check_calibration(rs);
  for (const auto& r : rs) {
    CHECK(r.output_tokens == 2);
    CHECK(r.input(Modality::Image).width <= 512);
  }
}

TEST_CASE("video-qa generator has redundant frames and low audio relevance") {
  auto rs = generate_requests("video-qa", 10000, 7);
  Summary s = summarize(rs);
  CHECK(std::fabs(s.share["causal"] - 0.48) < 0.015);
  CHECK(std::fabs(s.edge_acc - 0.632) < 0.015);
  CHECK(std::fabs(s.cloud_acc - 0.696) < 0.015);
  check_calibration(rs);
  double temporal = 0, audio_modal = 0, audio_n = 0;
  for (const auto& r : rs) {
    const auto& v = r.input(Modality::Video);
    REQUIRE(v.present);
    CHECK(v.frames >= 8);
    CHECK(v.frames <= 32);
    temporal += v.mas.temporal;
    if (r.input(Modality::Audio).present) audio_modal += r.input(Modality::Audio).mas.modal, audio_n += 1;
  }
  CHECK(temporal / 10000 < 0.5);
  CHECK(audio_modal / audio_n < 0.35);
}

TEST_CASE("pruned flags follow the one pruning function") {
  for (const auto& ds : generator_datasets()) {
    int changed = 0;
    for (const auto& r : generate_requests(ds, 2000, 3)) {
      CHECK(r.edge_correct_pruned == correct_under_keep(r.edge_correct_full, r, keep_at_mas(r)));
      CHECK(r.cloud_correct_pruned == correct_under_keep(r.cloud_correct_full, r, keep_at_mas(r)));
      changed += r.edge_correct_pruned != r.edge_correct_full || r.cloud_correct_pruned != r.cloud_correct_full;
    }
    CAPTURE(ds);
    CHECK(changed > 0);  // pruning at the MAS-needed fraction does cost some answers
  }
}

TEST_CASE("same seed gives identical bytes and another seed does not") {
  for (const auto& ds : generator_datasets()) {
    const std::string a = test::scratch_path(ds + "-a.csv"), b = test::scratch_path(ds + "-b.csv"),
                      c = test::scratch_path(ds + "-c.csv");
    write_mas_trace(a, generate_requests(ds, 3000, 42));
    write_mas_trace(b, generate_requests(ds, 3000, 42));
    write_mas_trace(c, generate_requests(ds, 3000, 43));
    CHECK(test::slurp(a) == test::slurp(b));
    CHECK(test::slurp(a) != test::slurp(c));
    // Reading back and writing again is also byte-identical.
    write_mas_trace(b, read_mas_trace(a));
    CHECK(test::slurp(a) == test::slurp(b));
  }
}

TEST_CASE("unknown dataset is an input error") { CHECK_THROWS_AS(generate_requests("coco", 10, 1), InputError); }
