#include "sim/metrics/quantile_store.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace msao {

namespace {
const double kGamma = (1 + QuantileStore::kRelativeError) / (1 - QuantileStore::kRelativeError);
const double kLogGamma = std::log(kGamma);
}  // namespace

void QuantileStore::Buckets::add(int index, uint64_t c) {
  if (counts.empty()) {
    lo = index;
    counts.assign(1, 0);
  } else if (index < lo) {
    counts.insert(counts.begin(), static_cast<size_t>(lo - index), 0);
    lo = index;
  } else if (index - lo >= static_cast<int>(counts.size())) {
    counts.resize(static_cast<size_t>(index - lo) + 1, 0);
  }
  counts[static_cast<size_t>(index - lo)] += c;
}

int QuantileStore::index_of(double m) const { return static_cast<int>(std::ceil(std::log(m) / kLogGamma)); }
double QuantileStore::value_of(int i) const { return 2 * std::pow(kGamma, i) / (kGamma + 1); }

void QuantileStore::sketch_add(double x, uint64_t c) {
  if (x > 0)
    pos_.add(index_of(x), c);
  else if (x < 0)
    neg_.add(index_of(-x), c);
  else
    zeros_ += c;
}

void QuantileStore::add(double x) {
  if (!std::isfinite(x)) return;
  min_ = n_ == 0 ? x : std::min(min_, x);
  max_ = n_ == 0 ? x : std::max(max_, x);
  ++n_;
  const double t = sum_ + x;
  compensation_ += std::fabs(sum_) >= std::fabs(x) ? (sum_ - t) + x : (x - t) + sum_;
  sum_ = t;
  if (sketched_) return sketch_add(x, 1);
  exact_.push_back(x);
  sorted_ = false;
  if (exact_.size() > kExactLimit) to_sketch();
}

void QuantileStore::to_sketch() {
  for (double x : exact_) sketch_add(x, 1);
  std::vector<double>().swap(exact_);
  sketched_ = true;
}

void QuantileStore::merge(const QuantileStore& o) {
  if (o.n_ == 0) return;
  if (!o.sketched_) {
    for (double x : o.exact_) add(x);
    return;
  }
  if (!sketched_) to_sketch();
  min_ = n_ == 0 ? o.min_ : std::min(min_, o.min_);
  max_ = n_ == 0 ? o.max_ : std::max(max_, o.max_);
  n_ += o.n_;
  const double t = sum_ + o.sum_;
  compensation_ += (std::fabs(sum_) >= std::fabs(o.sum_) ? (sum_ - t) + o.sum_ : (o.sum_ - t) + sum_) + o.compensation_;
  sum_ = t;
  for (size_t i = 0; i < o.pos_.counts.size(); ++i) pos_.add(o.pos_.lo + static_cast<int>(i), o.pos_.counts[i]);
  for (size_t i = 0; i < o.neg_.counts.size(); ++i) neg_.add(o.neg_.lo + static_cast<int>(i), o.neg_.counts[i]);
  zeros_ += o.zeros_;
}

double QuantileStore::value_at_rank(uint64_t rank) const {
  uint64_t seen = 0;
  // Ascending values: negatives from the largest magnitude, zeros, positives.
  for (size_t k = neg_.counts.size(); k-- > 0;)
    if ((seen += neg_.counts[k]) >= rank) return -value_of(neg_.lo + static_cast<int>(k));
  if ((seen += zeros_) >= rank) return 0;
  for (size_t k = 0; k < pos_.counts.size(); ++k)
    if ((seen += pos_.counts[k]) >= rank) return value_of(pos_.lo + static_cast<int>(k));
  return max_;
}

double QuantileStore::quantile(double q) {
  if (n_ == 0) return std::numeric_limits<double>::quiet_NaN();
  const auto r = static_cast<size_t>(std::ceil(q * n_));
  const size_t rank = std::min(n_, std::max<size_t>(r, 1));
  if (sketched_) {
    // The extremes are known exactly; any other rank within the bound.
    if (rank == 1) return min_;
    if (rank == n_) return max_;
    return std::clamp(value_at_rank(rank), min_, max_);
  }
  if (!sorted_) std::sort(exact_.begin(), exact_.end()), sorted_ = true;
  return exact_[rank - 1];
}

double QuantileStore::mean() {
  if (n_ == 0) return std::numeric_limits<double>::quiet_NaN();
  if (sketched_) return (sum_ + compensation_) / n_;
  if (!sorted_) std::sort(exact_.begin(), exact_.end()), sorted_ = true;
  double sum = 0;
  for (double x : exact_) sum += x;
  return sum / n_;
}

}  // namespace msao
