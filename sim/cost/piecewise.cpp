#include "sim/cost/piecewise.hpp"

#include <cmath>


namespace msao::cost {

double PiecewiseLinear::operator()(double x) const {
  if (points.empty()) return 0;
  if (points.size() == 1 || x <= points.front().first) return points.front().second;
  auto at = [&](size_t i) { return log_x ? std::log2(points[i].first) : points[i].first; };
  const double u = log_x ? std::log2(x) : x;
  size_t i = 1;
  while (i + 1 < points.size() && x > points[i].first) ++i;
  if (x > points.back().first && !extend_above) return points.back().second;
  const double x0 = at(i - 1), x1 = at(i), y0 = points[i - 1].second, y1 = points[i].second;
  return y0 + (y1 - y0) * (u - x0) / (x1 - x0);
}

PiecewiseLinear PiecewiseLinear::scaled(double factor) const {
  PiecewiseLinear p = *this;
  for (auto& pt : p.points) pt.second *= factor;
  return p;
}

PiecewiseLinear read_piecewise(YamlSection& s, const std::string& key, const std::string& x_key, double x_lo,
                               double x_hi, const std::string& y_key, const std::string& y_unit, double y_lo,
                               double y_hi) {
  PiecewiseLinear p;
  std::vector<YamlSection> rows = s.list(key);
  for (YamlSection& row : rows) {
    const double x = row.num(x_key, x_lo, x_hi);
    if (!p.points.empty() && x <= p.points.back().first)
      row.fail(x_key, std::to_string(x), "points in strictly increasing " + x_key + " (the previous one is " +
                                             std::to_string(p.points.back().first) + ")");
    const double y = y_unit.empty() ? row.num(y_key, y_lo, y_hi) : row.quantity(y_key, y_unit, std::nullopt, y_lo, y_hi);
    row.finish();
    p.points.emplace_back(x, y);
  }
  if (p.points.empty()) s.fail(key, "an empty list", "at least one {" + x_key + ", " + y_key + "} point");
  return p;
}

}  // namespace msao::cost
