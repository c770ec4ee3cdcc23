// Numbers in the result CSVs: exactly what std::to_chars writes with
// precision 9 (printf's %.9f and %.9g in the C locale), locale-independent
// and far faster than printf, which dominated writing a million-row
// requests.csv; a non-finite value is an empty cell.
//
// A run writes a few numbers per batching iteration and per request, so the
// common case is formatted here from the double's exact binary value in
// 128-bit integer arithmetic (about half of to_chars' instructions: its
// fixed-precision path, not the shortest-representation one, is the slow
// one), and anything outside that case (negative numbers, very large or
// tiny ones) goes to std::to_chars. tests/test_csv_number.cpp checks the
// two agree.
#pragma once
#include <charconv>
#include <string>

namespace msao::csv {

// The most characters number() writes: %.9f of the largest double
// (to_chars writes nothing useful into less).
inline constexpr int kMaxNumber = 400;
// v as std::to_chars(v, f, 9) writes it (f: fixed or general), at p; the
// end of what it wrote (p itself if v is not finite).
char* number(char* p, double v, std::chars_format f);
inline void number(std::string& s, double v, std::chars_format f) {
  char buf[kMaxNumber];
  s.append(buf, number(buf, v, f));
}

inline void put(std::string& s, double v, std::chars_format f) {
  number(s, v, f);
  s += ',';
}
// The same into a buffer (a row built whole, then appended once), each
// returning the end of what it wrote.
inline char* put(char* p, double v, std::chars_format f) {
  p = number(p, v, f);
  *p++ = ',';
  return p;
}
inline char* seconds(char* p, double v) { return put(p, v, std::chars_format::fixed); }
inline char* general(char* p, double v) { return put(p, v, std::chars_format::general); }
inline char* whole(char* p, long long v) { return std::to_chars(p, p + 24, v).ptr; }
// Seconds with nanosecond resolution.
inline void seconds(std::string& s, double v) { put(s, v, std::chars_format::fixed); }
// Other quantities with 9 significant digits.
inline void general(std::string& s, double v) { put(s, v, std::chars_format::general); }
// A whole number, as std::to_string writes it, without the comma.
inline void whole(std::string& s, long long v) {
  char b[24];
  s.append(b, std::to_chars(b, b + sizeof b, v).ptr);
}

}  // namespace msao::csv
