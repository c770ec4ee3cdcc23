// Numbers in the result CSVs: std::to_chars (locale-independent, exact, and
// far faster than printf, which dominated writing a million-row
// requests.csv), each followed by a comma; a non-finite value is an empty cell.
#pragma once
#include <charconv>
#include <cmath>
#include <string>

namespace msao::csv {

inline void put(std::string& s, double v, std::chars_format f) {
  if (std::isfinite(v)) {
    char b[64];
    auto r = std::to_chars(b, b + sizeof b, v, f, 9);
    s.append(b, r.ptr);
  }
  s += ',';
}
// Seconds with nanosecond resolution.
inline void seconds(std::string& s, double v) { put(s, v, std::chars_format::fixed); }
// Other quantities with 9 significant digits.
inline void general(std::string& s, double v) { put(s, v, std::chars_format::general); }

}  // namespace msao::csv
