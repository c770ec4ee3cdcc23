// QuantileStore: nearest-rank percentiles and the mean of a stream of
// values (latencies), in memory that does not grow with the run.
//
// Up to kExactLimit values it keeps them all (8-byte doubles) and answers
// exactly, with the mean summed in sorted order: the figures every run of
// that size printed before outputs were streamed. (4-byte floats would
// change printed digits of summary.json.) Past the limit it moves them into
// a DDSketch (Masson, Rim, Lee, "DDSketch: a fast and fully-mergeable
// quantile sketch with relative-error guarantees", VLDB 2019): value x > 0
// counts in bucket ceil(log_g x), g = (1 + a) / (1 - a), whose
// representative 2 g^i / (g + 1) is within relative error a of every value
// in it, so a percentile is within a = kRelativeError (0.1%) of the exact
// nearest-rank value (plus double rounding), and clamped to the exact
// minimum and maximum. Negative values use a mirrored sketch, zeros a count
// of their own. Two sketches merge by adding bucket counts. Past the limit
// the mean is a compensated (Neumaier) running sum over the count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace msao {

class QuantileStore {
 public:
  static constexpr size_t kExactLimit = 65536;
  static constexpr double kRelativeError = 0.001;

  // Non-finite values are ignored.
  void add(double x);
  // Adds every value `other` has seen (values it holds exactly stay exact
  // while the total stays under the limit).
  void merge(const QuantileStore& other);
  size_t count() const { return n_; }
  bool exact() const { return !sketched_; }
  // Nearest-rank q-quantile (0 <= q <= 1) and mean; NaN when empty.
  double quantile(double q);
  double mean();

 private:
  // Counts of one sign's buckets, dense from index lo_.
  struct Buckets {
    std::vector<uint64_t> counts;
    int lo = 0;
    void add(int index, uint64_t c);
  };
  void to_sketch();
  void sketch_add(double x, uint64_t c);
  double value_at_rank(uint64_t rank) const;  // 1-based, in the sketch
  int index_of(double magnitude) const;
  double value_of(int index) const;

  std::vector<double> exact_;
  bool sorted_ = false, sketched_ = false;
  size_t n_ = 0;
  double min_ = 0, max_ = 0;
  double sum_ = 0, compensation_ = 0;  // Neumaier
  Buckets pos_, neg_;
  uint64_t zeros_ = 0;
};

}  // namespace msao
