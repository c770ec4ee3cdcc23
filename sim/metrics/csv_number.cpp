#include "sim/metrics/csv_number.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace msao::csv {

namespace {

using u128 = unsigned __int128;

constexpr uint64_t kPow10[20] = {1ULL,
                                 10ULL,
                                 100ULL,
                                 1000ULL,
                                 10000ULL,
                                 100000ULL,
                                 1000000ULL,
                                 10000000ULL,
                                 100000000ULL,
                                 1000000000ULL,
                                 10000000000ULL,
                                 100000000000ULL,
                                 1000000000000ULL,
                                 10000000000000ULL,
                                 100000000000000ULL,
                                 1000000000000000ULL,
                                 10000000000000000ULL,
                                 100000000000000000ULL,
                                 1000000000000000000ULL,
                                 10000000000000000000ULL};
constexpr int kDigits = 9;  // the precision every CSV number is written with
// 10^-22 .. 10^22 as doubles (index n + 22), the nearest double to each.
constexpr double kPow10d[45] = {1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11,
                                1e-10, 1e-9,  1e-8,  1e-7,  1e-6,  1e-5,  1e-4,  1e-3,  1e-2,  1e-1,  1e0,   1e1,
                                1e2,   1e3,   1e4,   1e5,   1e6,   1e7,   1e8,   1e9,   1e10,  1e11,  1e12,  1e13,
                                1e14,  1e15,  1e16,  1e17,  1e18,  1e19,  1e20,  1e21,  1e22};

int bit_length(u128 x) {
  const auto hi = static_cast<uint64_t>(x >> 64), lo = static_cast<uint64_t>(x);
  return hi ? 128 - __builtin_clzll(hi) : lo ? 64 - __builtin_clzll(lo) : 0;
}

// A positive normal double as m x 2^e, exactly.
struct Binary {
  uint64_t m = 0;
  int e = 0;
  int log2 = 0;  // floor(log2(v))
};
bool decompose(double v, Binary& b) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  const int biased = static_cast<int>((bits >> 52) & 0x7ff);
  if (biased == 0 || biased == 0x7ff) return false;  // zero, subnormal, not finite
  b.m = (bits & ((uint64_t(1) << 52) - 1)) | (uint64_t(1) << 52);
  b.e = biased - 1075;
  b.log2 = biased - 1023;
  return true;
}

// q = floor(v x 10^k) for v = b, and whether rounding it to nearest, ties to
// even (as to_chars does: the exact binary value, correctly rounded), goes
// up. False where 128 bits do not hold the exact quotient.
bool scaled(const Binary& b, int k, uint64_t& q, bool& up) {
  if (k > 19 || k < -19) return false;
  if (k < 0 && b.e < 0 && b.e > -53 && (b.m & ((uint64_t(1) << -b.e) - 1)) == 0) {
    // A whole number (bytes, FLOPs) scaled down: 64-bit division.
    const uint64_t whole = b.m >> -b.e, den = kPow10[-k], rest = whole % den;
    q = whole / den;
    up = rest > den - rest || (rest == den - rest && (q & 1));
    return true;
  }
  u128 num = b.m, den = 1;
  if (k >= 0)
    num *= kPow10[k];
  else
    den = kPow10[-k];
  if (b.e >= 0) {
    if (bit_length(num) + b.e > 127) return false;
    num <<= b.e;
  } else if (den == 1) {
    // The common case (v below 10^9 scaled up): a shift, no division.
    const int shift = -b.e;
    if (shift > 126) return false;
    const u128 quotient = num >> shift, rest = num & ((u128(1) << shift) - 1), half = u128(1) << (shift - 1);
    if (quotient >> 64) return false;
    q = static_cast<uint64_t>(quotient);
    up = rest > half || (rest == half && (q & 1));
    return true;
  } else {
    if (bit_length(den) - b.e > 127) return false;
    den <<= -b.e;
  }
  const u128 quotient = num / den, rest = num - quotient * den;
  if (quotient >> 64) return false;
  q = static_cast<uint64_t>(quotient);
  up = 2 * rest > den || (2 * rest == den && (q & 1));
  return true;
}

// "00" to "99".
constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// The n digits of x (x < 10^n), zero-padded, ending at `end`.
void put_digits(char* end, uint64_t x, int n) {
  for (; n >= 2; n -= 2) {
    end -= 2;
    std::memcpy(end, kPairs + 2 * (x % 100), 2);
    x /= 100;
  }
  if (n) *--end = static_cast<char>('0' + x);
}

char* put_uint(char* p, uint64_t x) {
  int n = 1;
  while (n < 20 && x >= kPow10[n]) ++n;
  put_digits(p + n, x, n);
  return p + n;
}

// %.9f of a positive v; nullptr where the fast path does not apply.
char* fixed_digits(char* p, double v) {
  Binary b;
  uint64_t q;
  bool up;
  if (!decompose(v, b) || !scaled(b, kDigits, q, up) || q == UINT64_MAX) return nullptr;
  q += up;
  p = put_uint(p, q / kPow10[kDigits]);
  *p++ = '.';
  put_digits(p + kDigits, q % kPow10[kDigits], kDigits);
  return p + kDigits;
}

// %.9g of a positive v; nullptr where the fast path does not apply.
char* general_digits(char* p, double v) {
  Binary b;
  if (!decompose(v, b)) return nullptr;
  // The decimal exponent x (10^x <= v < 10^(x+1)): floor(log2(v) x
  // log10(2)) or one more, settled by the exact digits.
  int x = (b.log2 * 78913) >> 18;
  // Mostly settled here already (a double power of ten is close enough:
  // the exact digits below have the last word).
  if (x >= -22 && x < 22 && v >= kPow10d[x + 23]) ++x;
  uint64_t q = 0;
  bool up = false, found = false;
  for (int tries = 0; tries < 3 && !found; ++tries) {
    if (!scaled(b, kDigits - 1 - x, q, up)) return nullptr;
    if (q < kPow10[kDigits - 1])
      --x;
    else if (q >= kPow10[kDigits])
      ++x;
    else
      found = true;
  }
  if (!found) return nullptr;
  q += up;
  if (q == kPow10[kDigits]) {  // rounded up to the next power of ten
    q = kPow10[kDigits - 1];
    ++x;
  }
  char d[kDigits];
  put_digits(d + kDigits, q, kDigits);
  int last = kDigits - 1;  // trailing zeros go
  while (last > 0 && d[last] == '0') --last;
  if (x < -4 || x >= kDigits) {
    *p++ = d[0];
    if (last > 0) {
      *p++ = '.';
      for (int i = 1; i <= last; ++i) *p++ = d[i];
    }
    *p++ = 'e';
    *p++ = x < 0 ? '-' : '+';
    const int ax = x < 0 ? -x : x;
    if (ax < 10) *p++ = '0';
    return put_uint(p, static_cast<uint64_t>(ax));
  }
  if (x >= 0) {
    for (int i = 0; i <= x; ++i) *p++ = d[i];
    if (last > x) {
      *p++ = '.';
      for (int i = x + 1; i <= last; ++i) *p++ = d[i];
    }
    return p;
  }
  *p++ = '0';
  *p++ = '.';
  for (int i = 0; i < -x - 1; ++i) *p++ = '0';
  for (int i = 0; i <= last; ++i) *p++ = d[i];
  return p;
}

}  // namespace

char* number(char* buf, double v, std::chars_format f) {
  if (!std::isfinite(v)) return buf;
  char* p = buf;
  const bool negative = std::signbit(v);
  if (negative) *p++ = '-';
  const double a = std::fabs(v);
  char* end = nullptr;
  if (a == 0) {
    static constexpr char kZeroFixed[] = "0.000000000";
    end = f == std::chars_format::fixed ? std::copy_n(kZeroFixed, sizeof kZeroFixed - 1, p) : std::copy_n("0", 1, p);
  } else if (f == std::chars_format::fixed) {
    end = fixed_digits(p, a);
  } else if (f == std::chars_format::general) {
    end = general_digits(p, a);
  }
  if (!end) end = std::to_chars(buf, buf + kMaxNumber, v, f, kDigits).ptr;
  return end;
}

}  // namespace msao::csv
