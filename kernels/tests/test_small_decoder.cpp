// The small decoder `msao validate` times (kernels/small_decoder.hpp)
// computes a real transformer: on tiny shapes, on every backend, its logits
// equal a naive float64 implementation written from the definitions
// (RMSNorm, rotate-half rotary, grouped-query causal softmax attention,
// SwiGLU, tied LM head) over the whole sequence at once, whether the
// sequence arrives as one prefill, as chunks after a cached prefix, as
// decode steps, or mixed with another sequence in one iteration.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kernels/half.hpp"
#include "kernels/small_decoder.hpp"

using namespace msao::kernels;

namespace {

DecoderConfig tiny() {
  DecoderConfig c;
  c.layers = 2;
  c.hidden = 32;
  c.heads = 4;
  c.kv_heads = 2;
  c.ffn = 48;
  c.vocab = 64;
  return c;
}

using Vec = std::vector<double>;

Vec matvec(const HugeArray<uint16_t>& W, const Vec& x, size_t rows) {
  Vec y(rows, 0.0);
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < x.size(); ++c) y[r] += double(half_to_float(W[r * x.size() + c])) * x[c];
  return y;
}
Vec rms(const Vec& x, const std::vector<float>& g, double eps) {
  double ss = 0;
  for (double v : x) ss += v * v;
  const double inv = 1.0 / std::sqrt(ss / double(x.size()) + eps);
  Vec y(x.size());
  for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] * inv * g[i];
  return y;
}
double to_f16(double v) { return half_to_float(float_to_half(float(v))); }  // the KV cache is fp16

// Logits after every position of `tokens`, the whole sequence in float64.
std::vector<Vec> reference_logits(const DecoderWeights& w, const std::vector<int32_t>& tokens) {
  const DecoderConfig& c = w.cfg;
  const size_t h = c.hidden, d = c.head_dim(), kv = c.kv_dim(), n = tokens.size();
  std::vector<Vec> x(n, Vec(h));
  for (size_t p = 0; p < n; ++p)
    for (size_t i = 0; i < h; ++i) x[p][i] = half_to_float(w.embed[size_t(tokens[p]) * h + i]);
  for (size_t l = 0; l < c.layers; ++l) {
    const auto& L = w.layers[l];
    std::vector<Vec> q(n), k(n), v(n), attn(n, Vec(h, 0.0));
    for (size_t p = 0; p < n; ++p) {
      const Vec qkv = matvec(L.qkv, rms(x[p], L.norm_attn, c.norm_eps), h + 2 * kv);
      q[p].assign(qkv.begin(), qkv.begin() + h);
      k[p].assign(qkv.begin() + h, qkv.begin() + h + kv);
      v[p].assign(qkv.begin() + h + kv, qkv.end());
      auto rotate = [&](Vec& vec, size_t heads) {
        for (size_t hd = 0; hd < heads; ++hd)
          for (size_t i = 0; i < d / 2; ++i) {
            const double ang = double(p) * std::pow(double(c.rope_theta), -2.0 * double(i) / double(d));
            double& a = vec[hd * d + i];
            double& b = vec[hd * d + i + d / 2];
            const double a0 = a, b0 = b;
            a = a0 * std::cos(ang) - b0 * std::sin(ang);
            b = b0 * std::cos(ang) + a0 * std::sin(ang);
          }
      };
      rotate(q[p], c.heads);
      rotate(k[p], c.kv_heads);
      for (double& e : k[p]) e = to_f16(e);
      for (double& e : v[p]) e = to_f16(e);
    }
    for (size_t p = 0; p < n; ++p)
      for (size_t hq = 0; hq < c.heads; ++hq) {
        const size_t g = hq / (c.heads / c.kv_heads);
        Vec s(p + 1);
        double mx = -1e300, sum = 0;
        for (size_t j = 0; j <= p; ++j) {
          s[j] = 0;
          for (size_t i = 0; i < d; ++i) s[j] += q[p][hq * d + i] * k[j][g * d + i];
          s[j] /= std::sqrt(double(d));
          mx = std::max(mx, s[j]);
        }
        for (size_t j = 0; j <= p; ++j) sum += (s[j] = std::exp(s[j] - mx));
        for (size_t j = 0; j <= p; ++j)
          for (size_t i = 0; i < d; ++i) attn[p][hq * d + i] += s[j] / sum * v[j][g * d + i];
      }
    for (size_t p = 0; p < n; ++p) {
      const Vec o = matvec(L.o, attn[p], h);
      for (size_t i = 0; i < h; ++i) x[p][i] += o[i];
      const Vec xn = rms(x[p], L.norm_ffn, c.norm_eps);
      const Vec gate = matvec(L.gate, xn, c.ffn), up = matvec(L.up, xn, c.ffn);
      Vec act(c.ffn);
      for (size_t i = 0; i < c.ffn; ++i) act[i] = gate[i] / (1 + std::exp(-gate[i])) * up[i];
      const Vec down = matvec(L.down, act, h);
      for (size_t i = 0; i < h; ++i) x[p][i] += down[i];
    }
  }
  std::vector<Vec> logits;
  for (size_t p = 0; p < n; ++p) logits.push_back(matvec(w.embed, rms(x[p], w.norm_final, c.norm_eps), c.vocab));
  return logits;
}

// max |kernel - reference| over the vocabulary, relative to the largest reference logit.
double logit_error(const float* got, const Vec& ref) {
  double err = 0, mag = 1e-30;
  for (size_t i = 0; i < ref.size(); ++i) {
    err = std::max(err, std::abs(double(got[i]) - ref[i]));
    mag = std::max(mag, std::abs(ref[i]));
  }
  return err / mag;
}

// fp32 accumulation and the fp16 rounding of keys and values computed in
// fp32 rather than float64 (which can round an element to the neighbouring
// half) stay well below this; a wrong head, position or norm does not.
constexpr double kTol = 1e-3;

std::vector<int32_t> seq(size_t n, int32_t first) {
  std::vector<int32_t> t;
  for (size_t i = 0; i < n; ++i) t.push_back(int32_t((first + 13 * i) % 64));
  return t;
}
std::vector<int32_t> part(const std::vector<int32_t>& t, size_t b, size_t e) { return {t.begin() + b, t.begin() + e}; }

}  // namespace

TEST_CASE("the small decoder's prefill matches a float64 reference on every backend") {
  const DecoderWeights w(tiny(), 7);
  const auto toks = seq(9, 3);
  const auto ref = reference_logits(w, toks);
  for (const Backend* be : available_backends()) {
    DecoderIteration it(*be, w, 1, 16);
    it.plan({{0, toks, true, false}});
    it.run();
    const double err = logit_error(it.logits(0), ref.back());
    INFO(be->name << " scaled logit error " << err);
    CHECK(err <= kTol);
    // Greedy sampling takes the largest logit the kernels produced.
    const float* z = it.logits(0);
    for (size_t v = 0; v < w.cfg.vocab; ++v) CHECK(z[v] <= z[it.sampled()[0]]);
  }
}

TEST_CASE("chunked prefill, decode steps and a mixed iteration give the reference's logits") {
  const DecoderWeights w(tiny(), 11);
  const auto a = seq(8, 5), b = seq(6, 20);
  const auto ref_a = reference_logits(w, a), ref_b = reference_logits(w, b);
  for (const Backend* be : available_backends()) {
    INFO(be->name);
    DecoderIteration it(*be, w, 2, 16);
    // 1: A's first chunk (no sampling) and B's whole prompt but its last two tokens.
    it.plan({{0, part(a, 0, 3), false, false}, {0, part(b, 0, 4), true, false}});
    CHECK(it.has_op(DecoderOp::AttentionPrefill));
    CHECK_FALSE(it.has_op(DecoderOp::AttentionDecode));
    it.run();
    REQUIRE(it.sampled().size() == 1);  // only B samples
    CHECK(logit_error(it.logits(0), ref_b[3]) <= kTol);
    // 2: A's second chunk after 3 cached, mixed with B decoding its 5th token.
    it.plan({{3, part(a, 3, 6), true, false}, {4, part(b, 4, 5), true, true}});
    CHECK(it.has_op(DecoderOp::AttentionDecode));
    it.run();
    CHECK(logit_error(it.logits(0), ref_a[5]) <= kTol);
    CHECK(logit_error(it.logits(1), ref_b[4]) <= kTol);
    // 3 and 4: A decodes its last two tokens.
    for (size_t p = 6; p < 8; ++p) {
      it.plan({{p, part(a, p, p + 1), true, true}});
      it.run();
      CHECK(logit_error(it.logits(0), ref_a[p]) <= kTol);
    }
  }
}
