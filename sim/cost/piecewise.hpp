// PiecewiseLinear: a small table of measured points y(x), interpolated
// between them. Catalog figures measured at a few shapes (a GEMM's
// efficiency at a few token counts, a serving stack's host time at a few
// batch sizes) become a function of any shape this way.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "sim/config/yaml_section.hpp"

namespace msao::cost {

struct PiecewiseLinear {
  std::vector<std::pair<double, double>> points;  // (x, y), x strictly increasing
  // Interpolate in log2(x) (for x sampled geometrically: 1, 16, 64, ... tokens).
  bool log_x = false;
  // Beyond the last point: false holds its y; true continues the last
  // segment's slope (a cost that keeps growing with the batch).
  bool extend_above = false;

  bool empty() const { return points.empty(); }
  double operator()(double x) const;
  PiecewiseLinear scaled(double factor) const;  // every y times factor
};

// Reads `key`, a list of maps {x_key: number, y_key: number or quantity},
// into a table; x must increase strictly. y_unit empty: a plain number in
// [y_lo, y_hi]; else a quantity of that unit kind ("time").
PiecewiseLinear read_piecewise(YamlSection& s, const std::string& key, const std::string& x_key, double x_lo,
                               double x_hi, const std::string& y_key, const std::string& y_unit, double y_lo,
                               double y_hi);

}  // namespace msao::cost
