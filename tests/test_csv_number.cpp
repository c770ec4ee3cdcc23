// csv::number writes what std::to_chars writes at precision 9 (fixed and
// general), on the kinds of numbers a run writes and on the hard cases of
// correct rounding: exact ties, values next to powers of ten, both ends of
// the fast path's range, signs and zeros.
#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "sim/metrics/csv_number.hpp"

namespace {

std::string reference(double v, std::chars_format f) {
  if (!std::isfinite(v)) return "";
  char b[400];  // %.9f of the largest double
  return std::string(b, std::to_chars(b, b + sizeof b, v, f, 9).ptr);
}

int mismatches(const std::vector<double>& values) {
  int bad = 0;
  for (double v : values)
    for (auto f : {std::chars_format::fixed, std::chars_format::general}) {
      std::string s;
      msao::csv::number(s, v, f);
      const std::string want = reference(v, f);
      if (s != want && ++bad <= 5) {
        char hex[40];
        std::snprintf(hex, sizeof hex, "%a", v);
        MESSAGE(hex << (f == std::chars_format::fixed ? " fixed: " : " general: ") << s << " != " << want);
      }
    }
  return bad;
}

}  // namespace

TEST_CASE("csv::number matches std::to_chars at precision 9") {
  std::vector<double> v{0.0, -0.0, 1.0, -1.0, 0.5, 1e9, 1e-9, 5e-10, 1.5e-9, 2.5e-9, 1e-5, 1e-4, 99999999.95,
                        999999999.5, 9999999995.0, 0.1, 0.2, 0.3, 1e18, 1.8e10, 1.8446744073709552e10, 1e19, 1e21,
                        1e-300, 1e300, std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::min(),
                        std::numeric_limits<double>::max(), std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::quiet_NaN()};
  // Powers of ten and their neighbours (where the exponent is settled).
  for (int e = -30; e <= 30; ++e) {
    const double p = std::pow(10.0, e);
    for (double x : {p, std::nextafter(p, 0.0), std::nextafter(p, 1e308), 9.999999995 * p, 9.9999999949 * p,
                     9.9999999951 * p})
      v.push_back(x);
  }
  // Exact ties: halves of the last kept digit, in binary-exact values.
  for (int k = 1; k < 4096; ++k) {
    v.push_back(k / 1024.0);
    v.push_back(k / 2048.0 * 1e-6);
    v.push_back(std::ldexp(k, -30));
    v.push_back(k * 0.5 + 100000000.0);
    v.push_back(k * 5.0 + 1e9);
  }
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-16, 22), unit(0, 1);
  std::uniform_int_distribution<uint64_t> bits;
  for (int i = 0; i < 300000; ++i) {
    const double x = std::pow(10.0, exponent(rng));
    v.push_back(x);
    v.push_back(-x);
    v.push_back(std::round(x));  // whole numbers (bytes, tokens)
    v.push_back(std::round(unit(rng) * 1e9) / 1e9 * 1e4);  // seconds near nanosecond grid points
    double any;
    const uint64_t b = bits(rng);
    std::memcpy(&any, &b, sizeof any);
    v.push_back(any);
  }
  CHECK(mismatches(v) == 0);
}
