#include "sim/dse/bayes_opt.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "sim/dse/gp.hpp"
#include "sim/dse/sampling.hpp"

namespace msao::dse {
namespace {

double normal(std::mt19937_64& rng) {  // Box-Muller, portable
  double u1 = std::max(unit(rng), 1e-300), u2 = unit(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

// Evaluates the points as one batch, then reports each in order.
void evaluate(std::vector<Evaluation>& h, const std::vector<std::vector<double>>& xs, const BatchEvalFn& f, const ReportFn& report) {
  std::vector<Evaluation> batch(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) batch[i].x = xs[i];
  f(batch);
  for (auto& e : batch) {
    h.push_back(std::move(e));
    if (report) report(h.size() - 1, h.back(), best_index(h));
  }
}

BatchEvalFn one_by_one(const EvalFn& f) {
  return [f](std::vector<Evaluation>& batch) {
    for (auto& e : batch) f(e);
  };
}

struct Models {
  GaussianProcess obj;
  std::vector<GaussianProcess> cons;
  bool any_feasible = false;
  double best = 0;
};

double acquisition(const Models& m, const Eigen::VectorXd& x) {
  double pof = 1.0;
  for (const auto& g : m.cons) {
    double mu, sd;
    g.predict(x, mu, sd);
    pof *= normal_cdf(-mu / std::max(sd, 1e-9));
  }
  if (!m.any_feasible) return pof;
  double mu, sd;
  m.obj.predict(x, mu, sd);
  return expected_improvement(mu, sd, m.best) * pof;
}

// The next point: the argmax of the acquisition over models fitted to h.
std::vector<double> propose(const std::vector<Evaluation>& h, const BoOptions& opt, std::mt19937_64& rng) {
  const size_t d = static_cast<size_t>(opt.dim);
  // Failed evaluations count as the worst objective seen and violate every constraint.
  double worst = -std::numeric_limits<double>::infinity();
  size_t ncons = 0;
  for (const auto& e : h)
    if (e.ok) worst = std::max(worst, e.objective), ncons = std::max(ncons, e.constraints.size());
  if (!std::isfinite(worst)) worst = 0;
  const long n = static_cast<long>(h.size());
  Eigen::MatrixXd X(n, static_cast<long>(d));
  Eigen::VectorXd y(n);
  std::vector<Eigen::VectorXd> c(ncons, Eigen::VectorXd(n));
  for (long i = 0; i < n; ++i) {
    const auto& e = h[static_cast<size_t>(i)];
    for (size_t k = 0; k < d; ++k) X(i, static_cast<long>(k)) = e.x[k];
    y(i) = e.ok ? e.objective : worst;
    for (size_t j = 0; j < ncons; ++j) c[j](i) = e.ok && j < e.constraints.size() ? e.constraints[j] : 1.0;
  }
  Models m;
  m.obj.fit(X, y);
  for (size_t j = 0; j < ncons; ++j) {
    m.cons.emplace_back();
    m.cons.back().fit(X, c[j]);
  }
  int bi = best_index(h);
  m.any_feasible = bi >= 0;
  if (m.any_feasible) m.best = h[static_cast<size_t>(bi)].objective;
  const std::vector<double>& centre = h[static_cast<size_t>(bi >= 0 ? bi : 0)].x;

  Eigen::VectorXd best_x(static_cast<long>(d)), x(static_cast<long>(d));
  double best_a = -1;
  auto consider = [&](const Eigen::VectorXd& cand) {
    double a = acquisition(m, cand);
    if (a > best_a) best_a = a, best_x = cand;
  };
  for (int i = 0; i < opt.candidates; ++i) {
    for (size_t k = 0; k < d; ++k) x(static_cast<long>(k)) = unit(rng);
    consider(x);
  }
  for (int i = 0; i < opt.candidates / 10; ++i) {
    for (size_t k = 0; k < d; ++k) x(static_cast<long>(k)) = std::clamp(centre[k] + 0.05 * normal(rng), 0.0, 1.0);
    consider(x);
  }
  // Local refinement of the acquisition's argmax.
  for (double s : {0.02, 0.005, 0.001}) {
    Eigen::VectorXd c0 = best_x;
    for (int i = 0; i < 100; ++i) {
      for (size_t k = 0; k < d; ++k) x(static_cast<long>(k)) = std::clamp(c0(static_cast<long>(k)) + s * normal(rng), 0.0, 1.0);
      consider(x);
    }
  }
  return std::vector<double>(best_x.data(), best_x.data() + d);
}

// What a pending point is assumed to give until it is evaluated: the
// incumbent's values (no improvement there), or a failure while nothing is feasible.
Evaluation lie_at(const std::vector<Evaluation>& h, const std::vector<double>& x) {
  const int b = best_index(h);
  Evaluation e;
  if (b >= 0) e = h[static_cast<size_t>(b)];
  else e.ok = false;
  e.x = x;
  return e;
}

}  // namespace

bool feasible(bool ok, const std::vector<double>& constraints) {
  if (!ok) return false;
  for (double c : constraints)
    if (!(c <= 0)) return false;
  return true;
}

bool Evaluation::feasible() const { return dse::feasible(ok, constraints); }

int best_index(const std::vector<Evaluation>& h) {
  int b = -1;
  for (size_t i = 0; i < h.size(); ++i)
    if (h[i].feasible() && (b < 0 || h[i].objective < h[static_cast<size_t>(b)].objective)) b = static_cast<int>(i);
  return b;
}

std::vector<Evaluation> random_search(const BoOptions& opt, const EvalFn& f, const ReportFn& report) {
  return random_search(opt, one_by_one(f), report);
}

std::vector<Evaluation> random_search(const BoOptions& opt, const BatchEvalFn& f, const ReportFn& report) {
  std::mt19937_64 rng(opt.seed);
  std::vector<Evaluation> h;
  const int q = std::max(1, opt.batch);
  for (int i = 0; i < opt.budget; i += q) {
    std::vector<std::vector<double>> xs(static_cast<size_t>(std::min(q, opt.budget - i)), std::vector<double>(static_cast<size_t>(opt.dim)));
    for (auto& x : xs)
      for (auto& v : x) v = unit(rng);
    evaluate(h, xs, f, report);
  }
  return h;
}

std::vector<Evaluation> bayes_opt(const BoOptions& opt, const EvalFn& f, const ReportFn& report) {
  return bayes_opt(opt, one_by_one(f), report);
}

std::vector<Evaluation> bayes_opt(const BoOptions& opt, const BatchEvalFn& f, const ReportFn& report) {
  std::mt19937_64 rng(opt.seed);
  const size_t d = static_cast<size_t>(opt.dim);
  const int init = std::min(opt.budget, opt.initial > 0 ? opt.initial : std::max(4, 2 * opt.dim));
  const size_t q = static_cast<size_t>(std::max(1, opt.batch));
  std::vector<Evaluation> h;
  // Latin-hypercube initial design.
  std::vector<std::vector<double>> design(static_cast<size_t>(init), std::vector<double>(d));
  for (size_t k = 0; k < d; ++k) {
    const std::vector<double> axis = latin_hypercube_axis(static_cast<size_t>(init), rng);
    for (size_t i = 0; i < axis.size(); ++i) design[i][k] = axis[i];
  }
  for (size_t i = 0; i < design.size(); i += q)
    evaluate(h, std::vector<std::vector<double>>(design.begin() + static_cast<long>(i), design.begin() + static_cast<long>(std::min(design.size(), i + q))), f, report);

  while (static_cast<int>(h.size()) < opt.budget) {
    const size_t n = std::min(q, static_cast<size_t>(opt.budget) - h.size());
    std::vector<Evaluation> with_lies = h;
    std::vector<std::vector<double>> xs;
    for (size_t j = 0; j < n; ++j) {
      xs.push_back(propose(with_lies, opt, rng));
      if (j + 1 < n) with_lies.push_back(lie_at(h, xs.back()));
    }
    evaluate(h, xs, f, report);
  }
  return h;
}

}  // namespace msao::dse
