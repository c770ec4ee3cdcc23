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

char* put_uint(char* p, uint64_t x) {
  char tmp[20];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + x % 10);
    x /= 10;
  } while (x);
  while (n) *p++ = tmp[--n];
  return p;
}

// %.9f of a positive v; nullptr where the fast path does not apply.
char* fixed(char* p, double v) {
  Binary b;
  uint64_t q;
  bool up;
  if (!decompose(v, b) || !scaled(b, kDigits, q, up) || q == UINT64_MAX) return nullptr;
  q += up;
  p = put_uint(p, q / kPow10[kDigits]);
  *p++ = '.';
  uint64_t frac = q % kPow10[kDigits];
  for (int i = kDigits - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  return p + kDigits;
}

// %.9g of a positive v; nullptr where the fast path does not apply.
char* general(char* p, double v) {
  Binary b;
  if (!decompose(v, b)) return nullptr;
  // The decimal exponent x (10^x <= v < 10^(x+1)): floor(log2(v) x
  // log10(2)) or one more, settled by the exact digits.
  int x = (b.log2 * 78913) >> 18;
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
  for (int i = kDigits - 1; i >= 0; --i) {
    d[i] = static_cast<char>('0' + q % 10);
    q /= 10;
  }
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

void number(std::string& s, double v, std::chars_format f) {
  if (!std::isfinite(v)) return;
  char buf[400];  // %.9f of the largest double (to_chars writes nothing useful into less)
  char* p = buf;
  const bool negative = std::signbit(v);
  if (negative) *p++ = '-';
  const double a = std::fabs(v);
  char* end = nullptr;
  if (a == 0) {
    static constexpr char kZeroFixed[] = "0.000000000";
    end = f == std::chars_format::fixed ? std::copy_n(kZeroFixed, sizeof kZeroFixed - 1, p) : std::copy_n("0", 1, p);
  } else if (f == std::chars_format::fixed) {
    end = fixed(p, a);
  } else if (f == std::chars_format::general) {
    end = general(p, a);
  }
  if (!end) end = std::to_chars(buf, buf + sizeof buf, v, f, kDigits).ptr;
  s.append(buf, end);
}

}  // namespace msao::csv
