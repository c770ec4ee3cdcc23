// SweepSpec: what `msao sweep` runs, read from a sweep YAML file: a base
// scenario, fixed overrides, axes over any config key, how the axes combine
// (grid, zip, random or Latin-hypercube samples, seeded) and replicas with
// distinct seeds. expand() turns it into the list of runs, each a list of
// "dotted.key=value" overrides exactly like `--set`, so any key a scenario
// accepts can be swept without the sweep knowing what it means.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace msao::dse {

// One swept key: either explicit values, or a numeric range (with an
// optional unit suffix written after each value, e.g. "Mbps").
struct Axis {
  std::string key;
  std::vector<std::string> values;  // explicit values (or the range's grid once expanded)
  bool is_range = false;
  double lo = 0, hi = 0;
  int steps = 0;         // grid/zip points of a range
  bool log_scale = false;
  bool integer = false;  // round sampled values
  std::string unit;      // appended to every generated number
};

enum class SampleMode { grid, zip, random, lhs };

struct SweepSpec {
  std::string file;                    // the sweep YAML
  std::string base;                    // scenario path (resolved against the sweep file's folder)
  std::vector<std::string> set;        // fixed overrides applied to every run
  std::vector<Axis> axes;
  SampleMode mode = SampleMode::grid;
  int samples = 0;                     // random/lhs
  uint64_t seed = 1;                   // sampling seed and first replica seed
  int replicas = 1;
  double run_timeout_s = 600;          // a run still going after this is killed and recorded failed
};

// One simulation of the sweep.
struct RunPoint {
  int point = 0;     // index of the axis combination
  int replica = 0;
  uint64_t seed = 0;                   // run.seed of this run
  std::vector<std::string> axis_values;  // one per axis, as written into the override
  std::vector<std::string> overrides;    // set + axes + run.seed
  std::string hash;                      // hex config hash: base file content + overrides
};

// The most runs (points x replicas) one sweep may have: its run list is
// held in memory (docs/scenario.md, "Limits").
inline constexpr size_t kMaxSweepRuns = 1000000;

// The runs of a sweep, kept compact: each run's hash, and each axis's table
// of values; a point's value on an axis is derived from the point's index
// (a mixed-radix digit for grids, the index itself for zip and samples). A
// run's overrides are built when it is asked for, so a sweep of a million
// runs holds 8 bytes a run instead of its override strings (docs/sweep.md).
// Runs made elsewhere (`msao reproduce`) are added whole with push_back.
class RunList {
 public:
  RunList() = default;
  explicit RunList(const SweepSpec& spec);  // point-major, then replica
  size_t size() const { return hashes_.size(); }
  bool empty() const { return hashes_.empty(); }
  // Run i's hash (RunPoint::hash is its hex64).
  uint64_t hash(size_t i) const { return hashes_[i]; }
  // Run i's value on axis k, without building the run ("" past its axes).
  const std::string& axis_value(size_t i, size_t k) const;
  // Run i in full.
  RunPoint operator[](size_t i) const;
  // The index of the run at (point, replica), or size() when the list has none.
  size_t index_of(int point, int replica) const;
  // Adds a whole run, on a list that was not made from a spec.
  void push_back(RunPoint run);

 private:
  size_t point_of(size_t i) const { return i / static_cast<size_t>(replicas_); }
  // Point p's value on axis k: its index in values_[k] is (p / stride_k) mod
  // the table's length.
  const std::string& value(size_t p, size_t k) const {
    return values_[k][(p / strides_[k]) % values_[k].size()];
  }
  std::vector<std::string> set_, keys_;
  std::vector<std::vector<std::string>> values_;  // per axis: the values its points use
  std::vector<size_t> strides_;                   // per axis: points between two of its values
  int replicas_ = 1;
  uint64_t seed_ = 0;
  std::vector<RunPoint> whole_;  // runs added by push_back
  std::vector<uint64_t> hashes_;
};

// Reads and validates; InputError (exit 2) on any problem, including more
// than kMaxSweepRuns runs.
SweepSpec load_sweep_spec(const std::string& path);

// Every run in full, in RunList's order (for small sweeps and tests).
std::vector<RunPoint> expand(const SweepSpec& spec);

// Formats a generated number the same way everywhere (shortest round-trip).
std::string format_number(double v);

}  // namespace msao::dse
