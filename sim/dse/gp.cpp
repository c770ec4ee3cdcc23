#include "sim/dse/gp.hpp"

#include <cmath>
#include <limits>

namespace msao::dse {

double matern52(double r) {
  const double s = std::sqrt(5.0) * r;
  return (1.0 + s + s * s / 3.0) * std::exp(-s);
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double expected_improvement(double mean, double sd, double best) {
  if (sd <= 1e-12) return std::max(0.0, best - mean);
  const double z = (best - mean) / sd;
  const double pdf = std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI);
  return (best - mean) * normal_cdf(z) + sd * pdf;
}

double GaussianProcess::kernel(const Eigen::VectorXd& a, const Eigen::VectorXd& b) const {
  return matern52((a - b).norm() / ell_);
}

double GaussianProcess::fit_fixed(double ell, double noise) {
  ell_ = ell;
  const long n = X_.rows();
  Eigen::MatrixXd K(n, n);
  for (long i = 0; i < n; ++i)
    for (long j = 0; j <= i; ++j) K(i, j) = K(j, i) = kernel(X_.row(i).transpose(), X_.row(j).transpose());
  K.diagonal().array() += noise + 1e-9;
  llt_.compute(K);
  if (llt_.info() != Eigen::Success) return -std::numeric_limits<double>::infinity();
  alpha_ = llt_.solve(y_);
  const Eigen::MatrixXd L = llt_.matrixL();
  double logdet = 2.0 * L.diagonal().array().log().sum();
  return -0.5 * y_.dot(alpha_) - 0.5 * logdet - 0.5 * static_cast<double>(n) * std::log(2.0 * M_PI);
}

void GaussianProcess::fit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  X_ = X;
  y_mean_ = y.mean();
  double var = (y.array() - y_mean_).square().mean();
  y_sd_ = var > 1e-24 ? std::sqrt(var) : 1.0;
  y_ = (y.array() - y_mean_) / y_sd_;
  // Grid search over (length scale, noise); unit signal variance after standardising.
  static const double ells[] = {0.03, 0.05, 0.08, 0.12, 0.18, 0.25, 0.35, 0.5, 0.7, 1.0, 1.5, 2.5};
  static const double noises[] = {1e-6, 1e-4, 1e-2, 1e-1};
  double best = -std::numeric_limits<double>::infinity(), be = 0.3, bn = 1e-4;
  for (double e : ells)
    for (double nz : noises) {
      double l = fit_fixed(e, nz);
      if (l > best) best = l, be = e, bn = nz;
    }
  fit_fixed(be, bn);  // leaves the chosen fit in place
}

void GaussianProcess::predict(const Eigen::VectorXd& x, double& mean, double& sd) const {
  const long n = X_.rows();
  Eigen::VectorXd k(n);
  for (long i = 0; i < n; ++i) k(i) = kernel(x, X_.row(i).transpose());
  double m = k.dot(alpha_);
  Eigen::VectorXd v = llt_.matrixL().solve(k);
  double var = std::max(1e-12, 1.0 - v.squaredNorm());
  mean = y_mean_ + y_sd_ * m;
  sd = y_sd_ * std::sqrt(var);
}

}  // namespace msao::dse
