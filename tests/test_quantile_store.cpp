// QuantileStore: exact nearest-rank percentiles and sorted-order mean below
// its limit; past it, every percentile within the stated relative error of
// the exact nearest-rank value, the exact extremes, and merges that equal
// one store fed everything.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/metrics/quantile_store.hpp"
#include "sim/metrics/summary.hpp"
#include "workloads/rng.hpp"

using namespace msao;

namespace {
std::vector<double> draws(size_t n, uint64_t seed) {
  Rng rng(seed, "quantile-test");
  std::vector<double> v;
  for (size_t i = 0; i < n; ++i) v.push_back(rng.lognormal(250.0, 1.2));  // latencies in ms
  return v;
}
}  // namespace

TEST_CASE("below its limit the store is exact") {
  std::vector<double> v = draws(QuantileStore::kExactLimit, 1);
  QuantileStore q;
  for (double x : v) q.add(x);
  q.add(NAN);  // ignored
  CHECK(q.exact());
  CHECK(q.count() == v.size());
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  CHECK(q.mean() == sum / v.size());
  for (double p : {0.0, 0.5, 0.95, 0.99, 1.0}) CHECK(q.quantile(p) == nearest_rank(v, p));
}

TEST_CASE("past its limit every percentile is within the relative error bound") {
  std::vector<double> v = draws(300000, 2);
  v.push_back(-3.5);  // negative and zero values keep their place in the order
  v.push_back(0.0);
  QuantileStore q;
  for (double x : v) q.add(x);
  CHECK(!q.exact());
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  CHECK(std::fabs(q.mean() - sum / v.size()) <= 1e-12 * sum / v.size());
  CHECK(q.quantile(0) == v.front());
  CHECK(q.quantile(1) == v.back());
  for (double p : {1e-6, 2e-6, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999}) {
    CAPTURE(p);
    const double exact = nearest_rank(v, p);
    CHECK(std::fabs(q.quantile(p) - exact) <= QuantileStore::kRelativeError * std::fabs(exact) * (1 + 1e-9));
  }
}

TEST_CASE("merged stores answer as one store fed every value") {
  const std::vector<double> a = draws(120000, 3), b = draws(90000, 4);
  QuantileStore qa, qb, all;
  for (double x : a) qa.add(x), all.add(x);
  for (double x : b) qb.add(x), all.add(x);
  qa.merge(qb);
  CHECK(qa.count() == all.count());
  for (double p : {0.01, 0.5, 0.95, 0.99}) CHECK(qa.quantile(p) == all.quantile(p));
  CHECK(qa.mean() == doctest::Approx(all.mean()).epsilon(1e-14));
}
