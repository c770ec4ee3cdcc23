// GaussianProcess: regression with a Matérn 5/2 kernel for Bayesian
// optimisation. Inputs live in the unit cube (the tuner scales parameters),
// outputs are standardised internally. Hyperparameters (one length scale
// per dimension set from a shared grid, plus noise) maximise the log
// marginal likelihood over a small grid: cheap, deterministic, and robust
// with the few dozen points a tuning run has. Solves use Eigen's LLT.
#pragma once
#include <Eigen/Dense>
#include <vector>

namespace msao::dse {

class GaussianProcess {
 public:
  // X: n x d in [0,1]^d, y: n values. n >= 1.
  void fit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y);
  // Posterior mean and standard deviation at x, in y's units.
  void predict(const Eigen::VectorXd& x, double& mean, double& sd) const;

 private:
  double kernel(const Eigen::VectorXd& a, const Eigen::VectorXd& b) const;
  // Fits with fixed hyperparameters; returns the log marginal likelihood (-inf if not positive definite).
  double fit_fixed(double ell, double noise);

  Eigen::MatrixXd X_;
  Eigen::VectorXd y_;  // standardised
  double y_mean_ = 0, y_sd_ = 1;
  double ell_ = 0.3;
  Eigen::LLT<Eigen::MatrixXd> llt_;
  Eigen::VectorXd alpha_;
};

double matern52(double r);

// Expected improvement for minimisation below `best` (all in y's units).
double expected_improvement(double mean, double sd, double best);
// Standard normal CDF.
double normal_cdf(double z);

}  // namespace msao::dse
