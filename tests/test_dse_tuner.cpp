// The Bayesian tuner on the Branin function (three global minima of
// 0.397887): it must converge, honour a constraint, and find a better best
// than random search at the same budget, averaged over several seeds.
#include <doctest/doctest.h>

#include <cmath>

#include "sim/dse/bayes_opt.hpp"
#include "sim/dse/gp.hpp"

using namespace msao::dse;

namespace {

double branin(double u, double v) {
  const double x1 = -5 + 15 * u, x2 = 15 * v;
  const double b = 5.1 / (4 * M_PI * M_PI), c = 5 / M_PI, t = 1 / (8 * M_PI);
  return std::pow(x2 - b * x1 * x1 + c * x1 - 6, 2) + 10 * (1 - t) * std::cos(x1) + 10;
}

double best_of(const std::vector<Evaluation>& h) { return h[static_cast<size_t>(best_index(h))].objective; }

EvalFn branin_fn() {
  return [](Evaluation& e) { e.objective = branin(e.x[0], e.x[1]); };
}

}  // namespace

TEST_CASE("GP interpolates its training points") {
  Eigen::MatrixXd X(5, 1);
  Eigen::VectorXd y(5);
  for (int i = 0; i < 5; ++i) X(i, 0) = i / 4.0, y(i) = std::sin(6 * X(i, 0));
  GaussianProcess gp;
  gp.fit(X, y);
  for (int i = 0; i < 5; ++i) {
    double m, s;
    gp.predict(X.row(i).transpose(), m, s);
    CHECK(m == doctest::Approx(y(i)).epsilon(0.05));
  }
}

TEST_CASE("Bayesian optimisation converges on Branin") {
  BoOptions o;
  o.dim = 2;
  o.budget = 40;
  o.seed = 7;
  auto h = bayes_opt(o, branin_fn());
  CHECK(h.size() == 40);
  CHECK(best_of(h) < 0.397887 + 0.1);
}

TEST_CASE("Bayesian optimisation beats random search on Branin at equal budget") {
  double bo = 0, rs = 0;
  const int seeds = 5;
  for (int s = 1; s <= seeds; ++s) {
    BoOptions o;
    o.dim = 2;
    o.budget = 30;
    o.seed = static_cast<uint64_t>(s);
    bo += best_of(bayes_opt(o, branin_fn())) / seeds;
    rs += best_of(random_search(o, branin_fn())) / seeds;
  }
  MESSAGE("mean best of 30 evaluations: bayes " << bo << " random " << rs);
  CHECK(bo < rs);
  CHECK(bo < 0.6);
}

TEST_CASE("Bayesian optimisation respects a constraint") {
  // Branin with x1 restricted to u >= 0.6 (only the minimum at (9.42, 2.47) is feasible).
  BoOptions o;
  o.dim = 2;
  o.budget = 40;
  o.seed = 3;
  auto h = bayes_opt(o, [](Evaluation& e) {
    e.objective = branin(e.x[0], e.x[1]);
    e.constraints = {0.6 - e.x[0]};
  });
  int b = best_index(h);
  REQUIRE(b >= 0);
  CHECK(h[static_cast<size_t>(b)].x[0] >= 0.6);
  CHECK(h[static_cast<size_t>(b)].objective < 0.397887 + 0.2);
}

TEST_CASE("Bayesian optimisation is deterministic for a seed") {
  BoOptions o;
  o.dim = 2;
  o.budget = 15;
  o.seed = 11;
  auto a = bayes_opt(o, branin_fn()), b = bayes_opt(o, branin_fn());
  REQUIRE(a.size() == 15);
  REQUIRE(b.size() == 15);
  for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].x == b[i].x);
}

TEST_CASE("constant-liar batches: each batch evaluated at once, its points distinct, and still better than random search") {
  BoOptions o;
  o.dim = 2;
  o.budget = 30;
  o.batch = 5;
  double bo = 0, rs = 0;
  const int seeds = 5;
  for (int s = 1; s <= seeds; ++s) {
    o.seed = static_cast<uint64_t>(s);
    std::vector<size_t> sizes;
    bool distinct = true;
    BatchEvalFn f = [&](std::vector<Evaluation>& batch) {
      sizes.push_back(batch.size());
      for (size_t i = 0; i < batch.size(); ++i) {
        batch[i].objective = branin(batch[i].x[0], batch[i].x[1]);
        for (size_t j = 0; j < i; ++j) distinct &= std::hypot(batch[i].x[0] - batch[j].x[0], batch[i].x[1] - batch[j].x[1]) > 1e-6;
      }
    };
    auto h = bayes_opt(o, f);
    CHECK(h.size() == 30);
    // The 4-point initial design, then 26 proposals in batches of 5.
    CHECK(sizes == std::vector<size_t>{4, 5, 5, 5, 5, 5, 1});
    CHECK(distinct);  // the lies keep a batch from proposing one point five times
    bo += best_of(h) / seeds;
    rs += best_of(random_search(o, branin_fn())) / seeds;
  }
  MESSAGE("mean best of 30 evaluations in batches of 5: bayes " << bo << " random " << rs);
  CHECK(bo < rs);
}
