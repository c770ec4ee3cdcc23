// One numeric field of a CSV input (network and serving traces): parsed
// whole with from_chars, finite and within [lo, hi], or an InputError naming
// the file, line and column, what was found and what was expected.
#pragma once
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "sim/config/input_error.hpp"

namespace msao {

inline double csv_number(const std::string& path, int line, const std::string& column, std::string_view f, double lo,
                         double hi, const std::string& expected) {
  double v = 0;
  auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (f.empty() || ec != std::errc() || p != f.data() + f.size() || !std::isfinite(v) || v < lo || v > hi)
    throw InputError(path, line, column, f.empty() ? "an empty field" : "'" + std::string(f) + "'", expected);
  return v;
}

// The same for a whole number (no fraction, no exponent: "12", not "12.5" or "1e3").
inline long long csv_integer(const std::string& path, int line, const std::string& column, std::string_view f,
                             long long lo, long long hi, const std::string& expected) {
  long long v = 0;
  auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (f.empty() || ec != std::errc() || p != f.data() + f.size() || v < lo || v > hi)
    throw InputError(path, line, column, f.empty() ? "an empty field" : "'" + std::string(f) + "'", expected);
  return v;
}

}  // namespace msao
