// The per-token draft/full agreement model (workloads/draft_tokens.hpp) and
// the per-request acceptance the generators draw (gen::draw_draft_agreement):
// draws are pure functions of (token_seed, step); a verification pass accepts
// the truncated-geometric prefix of Leviathan et al.; the edge's per-token
// confidence is calibrated, hence informative; generators tie alpha_r to the
// edge confidence without moving a byte of the fields they wrote before.
// Statistical tolerances are 4 standard errors computed from the variance of
// the quantity (the draws are deterministic, so a pass is a pass for good).
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <vector>

#include "sim/dse/hash.hpp"
#include "tests/workload_test_util.hpp"
#include "workloads/draft_tokens.hpp"
#include "workloads/gen_common.hpp"
#include "workloads/generator.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/rng.hpp"
#include "workloads/serving_trace.hpp"
#include "workloads/trace_stats.hpp"

using namespace msao;

namespace {

Request request_with(double alpha, uint64_t seed) {
  Request r;
  r.draft_acceptance = alpha;
  r.token_seed = seed;
  return r;
}

// 4 standard errors of the mean of n draws of a quantity with variance var.
double tolerance(double var, double n) { return 4.0 * std::sqrt(var / n); }

// Mean and variance of the accepted prefix of gamma i.i.d. Bernoulli(alpha)
// tokens: P(X = k) = alpha^k (1 - alpha) for k < gamma, P(X = gamma) = alpha^gamma.
std::pair<double, double> prefix_moments(double alpha, int gamma) {
  double mean = 0, second = 0;
  for (int k = 0; k <= gamma; ++k) {
    const double p = std::pow(alpha, k) * (k < gamma ? 1.0 - alpha : 1.0);
    mean += k * p;
    second += double(k) * k * p;
  }
  return {mean, second - mean * mean};
}

}  // namespace

TEST_CASE("draft tokens are a pure function of (token_seed, step), whatever the call order") {
  const Request r = request_with(0.6, 12345);
  std::vector<DraftToken> forward;
  for (int s = 0; s < 200; ++s) forward.push_back(draft_token(r, s));
  for (int s = 199; s >= 0; --s) {
    const DraftToken again = draft_token(r, s);
    CHECK(again.agrees == forward[s].agrees);
    CHECK(again.confidence == forward[s].confidence);
  }
  Request copy = r;
  copy.id = 99;  // only the seed and alpha matter
  CHECK(draft_token(copy, 17).confidence == forward[17].confidence);
  // accepted_prefix and draft_confidence are the per-token draws, summarized.
  for (int from : {0, 5, 40}) {
    int k = 0;
    while (k < 8 && forward[from + k].agrees) ++k;
    CHECK(accepted_prefix(r, from, 8) == k);
    double sum = 0;
    for (int i = 0; i < 8; ++i) sum += forward[from + i].confidence;
    CHECK(draft_confidence(r, from, 8) == doctest::Approx(sum / 8).epsilon(1e-12));
  }
  CHECK(accepted_prefix(r, 3, 0) == 0);
  CHECK_THROWS_AS(draft_confidence(r, 3, 0), std::invalid_argument);
  // Another seed gives other draws.
  const Request other = request_with(0.6, 12346);
  int differ = 0;
  for (int s = 0; s < 200; ++s) differ += draft_token(other, s).confidence != forward[s].confidence;
  CHECK(differ > 190);
  // Degenerate rates.
  CHECK(accepted_prefix(request_with(1.0, 1), 0, 50) == 50);
  CHECK(accepted_prefix(request_with(0.0, 1), 0, 50) == 0);
}

TEST_CASE("one verification pass accepts the truncated-geometric prefix of the speculative-decoding law") {
  // Leviathan et al. (ICML 2023): with gamma drafted tokens each accepted
  // i.i.d. with probability alpha, E[accepted] = sum_{i=1..gamma} alpha^i.
  const int gamma = 5, rounds = 20000;
  for (double alpha : {0.3, 0.6, 0.8, 0.95}) {
    const Request r = request_with(alpha, 777 + static_cast<uint64_t>(alpha * 100));
    double sum = 0, agreed = 0;
    for (int k = 0; k < rounds; ++k) {
      sum += accepted_prefix(r, k * gamma, gamma);
      for (int s = 0; s < gamma; ++s) agreed += draft_token(r, k * gamma + s).agrees;
    }
    const auto [mean, var] = prefix_moments(alpha, gamma);
    const double law = alpha * (1 - std::pow(alpha, gamma)) / (1 - alpha);
    CAPTURE(alpha);
    CHECK(mean == doctest::Approx(law).epsilon(1e-12));  // the pmf above is the closed form's
    CHECK(std::fabs(sum / rounds - law) < tolerance(var, rounds));
    // Per-token marginal: Bernoulli(alpha).
    CHECK(std::fabs(agreed / (rounds * gamma) - alpha) < tolerance(alpha * (1 - alpha), rounds * gamma));
  }
}

TEST_CASE("the edge's per-token confidence is calibrated, so agreeing tokens are the confident ones") {
  const int n = 100000;
  for (double alpha : {0.3, 0.7, 0.9}) {
    const Request r = request_with(alpha, 4242);
    double conf_agree = 0, n_agree = 0, conf_disagree = 0, sum = 0;
    // Calibration bins of width 0.1: agreement frequency vs mean confidence.
    std::vector<double> bin_n(10), bin_conf(10), bin_agree(10);
    for (int s = 0; s < n; ++s) {
      const DraftToken t = draft_token(r, s);
      REQUIRE(t.confidence >= 0.0);
      REQUIRE(t.confidence <= 1.0);
      sum += t.confidence;
      (t.agrees ? conf_agree : conf_disagree) += t.confidence;
      n_agree += t.agrees;
      const int b = std::min(9, static_cast<int>(t.confidence * 10));
      bin_n[b] += 1, bin_conf[b] += t.confidence, bin_agree[b] += t.agrees;
    }
    CAPTURE(alpha);
    // Mean exactly alpha: q = U^k, k = 1/alpha - 1, E[q] = 1/(k+1), E[q^2] = 1/(2k+1).
    const double k = 1 / alpha - 1, var = 1 / (2 * k + 1) - alpha * alpha;
    CHECK(std::fabs(sum / n - alpha) < tolerance(var, n));
    // Informative: E[q | agree] = E[q^2]/alpha = (k+1)/(2k+1) > alpha > E[q | disagree].
    const double mean_agree = conf_agree / n_agree, mean_disagree = conf_disagree / (n - n_agree);
    CHECK(mean_agree > alpha);
    CHECK(mean_disagree < alpha);
    // Var(q | agree) = E[q^3]/alpha - (E[q^2]/alpha)^2, E[q^3] = 1/(3k+1).
    const double cond = (k + 1) / (2 * k + 1), cond_var = (k + 1) / (3 * k + 1) - cond * cond;
    CHECK(std::fabs(mean_agree - cond) < tolerance(cond_var, n_agree));
    int checked = 0;
    for (int b = 0; b < 10; ++b) {
      if (bin_n[b] < 1000) continue;
      const double c = bin_conf[b] / bin_n[b], f = bin_agree[b] / bin_n[b];
      CAPTURE(b);
      CHECK(std::fabs(f - c) < tolerance(c * (1 - c), bin_n[b]));
      ++checked;
    }
    CHECK(checked >= 3);
  }
}

TEST_CASE("generators tie draft_acceptance to edge_confidence, around each dataset's answer agreement") {
  // base = p_e k + (1 - p_e)(1 - g) s (gen_common.hpp), from the accuracy targets and same_wrong.
  // The short-answer datasets; the long-answer ones: tests/test_workload_long_answers.cpp.
  const std::map<std::string, double> base = {{"vqav2", 0.686450}, {"mmbench", 0.663160}, {"video-qa", 0.654880}};
  for (const auto& entry : base) {
    // Not a structured binding: clang 14 refuses one inside doctest's CAPTURE.
    const std::string& ds = entry.first;
    const double dataset_base = entry.second;
    const auto rs = generate_requests(ds, 10000, 7);
    std::vector<double> conf, alpha;
    double mean = 0, noise_sq = 0;
    for (const auto& r : rs) {
      REQUIRE(r.draft_acceptance >= gen::kDraftAcceptanceLo);
      REQUIRE(r.draft_acceptance <= gen::kDraftAcceptanceHi);
      CHECK(r.draft_acceptance == quantize_fraction(r.draft_acceptance));
      conf.push_back(r.edge_confidence);
      alpha.push_back(r.draft_acceptance);
      mean += r.draft_acceptance / rs.size();
      const double d = r.draft_acceptance - gen::draft_acceptance_rule(ds, r.edge_confidence);
      noise_sq += d * d / rs.size();
    }
    CAPTURE(ds);
    // Measured at seed 7, n = 10k: 0.97 for each dataset.
    CHECK(pearson(conf, alpha) > 0.9);
    // sd of alpha_r is about 0.2: 4 standard errors at 10k is 0.008.
    CHECK(std::fabs(mean - dataset_base) < 0.01);
    // The per-request noise is there, with about its stated sd (less where clamped).
    CHECK(std::sqrt(noise_sq) > 0.8 * gen::kDraftAcceptanceNoise);
    CHECK(std::sqrt(noise_sq) < 1.1 * gen::kDraftAcceptanceNoise);
    // Token seeds differ between requests and between runs.
    CHECK(rs[0].token_seed != rs[1].token_seed);
    CHECK(generate_requests(ds, 1, 8)[0].token_seed != rs[0].token_seed);
  }
}

TEST_CASE("the new fields leave every existing generated field byte-identical") {
  // FNV-1a of `msao trace gen --dataset D --n 3000 --seed 42` without its
  // two optional columns (43 columns). First recorded before draft_acceptance
  // and token_seed existed, which left them unchanged; re-recorded when the
  // joint MAS model changed the generated fields on purpose
  // (before it: ce81bdcbd0a273f6, 7164ff3e936bf9a5, 178c596cb3de9e97).
  const std::map<std::string, std::string> before = {
      {"vqav2", "c88ac86b77dc6207"}, {"mmbench", "15a5fc5e1be346ff"}, {"video-qa", "79e65c644a16b036"}};
  for (const auto& entry : before) {
    const std::string& ds = entry.first;
    const std::string& hash = entry.second;
    std::string text = std::string(kMasTraceVersionLine) + "\n" + mas_trace_header(false) + "\n";
    for (const auto& r : generate_requests(ds, 3000, 42)) {
      text += test::drop_last_fields(mas_trace_row(r), kMasTraceOptionalColumns) + "\n";
    }
    CAPTURE(ds);
    CHECK(dse::hex64(dse::fnv1a64(text)) == hash);
  }
}

TEST_CASE("serving-trace requests get a token seed from their id") {
  const auto rs = read_serving_trace(std::string(MSAO_SOURCE_DIR) + "/traces/serving/llm-serving-workload-10k.csv");
  REQUIRE(rs.size() > 2);
  for (size_t i = 0; i < 3; ++i) CHECK(rs[i].token_seed == splitmix64(rs[i].id));
  CHECK(rs[0].draft_acceptance == gen::kDraftAcceptanceDefault);
}
