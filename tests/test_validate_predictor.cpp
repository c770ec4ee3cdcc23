// The prediction `msao validate` checks is the simulator's own: a whole
// iteration costs the sum of its operators' rooflines (closed form, by hand
// from the operator table in docs/cost-model.md), with the efficiencies the
// measured profile gives; and those efficiencies are each operator's best
// measured rates, so the prediction at a measured shape never exceeds the
// measured time and meets it where a rate was the operator's best.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "sim/cost/cost_model.hpp"
#include "sim/cost/measured_operators.hpp"
#include "tests/test_cost_files.hpp"

using namespace msao::cost;

namespace {

ModelSpec two_layer_model() {
  ModelSpec m = load_model("qwen2.5-0.5b");
  m.decoder.layers = 2;
  return m;
}

// Synthetic measured seconds for an iteration: each operator at its own
// made-up rates, so the best rates differ between the two shapes.
OperatorTimings synthetic(const ModelSpec& m, std::vector<PrefillChunk> pre, std::vector<int> dec, double fl,
                          double bw) {
  OperatorTimings t{pre, dec, {}};
  int i = 0;
  for (const OpWork& op : iteration_ops(m, Parallelism{}, pre, dec)) {
    // Operators differ from each other too (the KV-cache write at the plain rates).
    const double skew = op.op == Op::KvWrite ? 1.0 : 1.0 + 0.1 * (i++ % 3);
    t.seconds[op_name(op.op)] = std::max(op.flops / (fl / skew), op.bytes / (bw / skew)) * 1.05;
  }
  return t;
}

}  // namespace

TEST_CASE("measured efficiencies are each operator's best rates where they bind, as fractions of the peaks") {
  const ModelSpec m = two_layer_model();
  const Hardware hw = load_hardware("cpu-generic");
  // One decode (a GEMM there moves 1 FLOP a byte: memory-bound at a 2:1
  // machine balance) and an 8-token chunk (8 FLOP a byte: compute-bound).
  const OperatorTimings dec = synthetic(m, {}, {16}, 40e9, 30e9);
  const OperatorTimings pre = synthetic(m, {{8, 0, true}}, {}, 60e9, 20e9);
  const MeasuredOperators mo = efficiencies_from_timings(m, hw, {dec, pre});
  CHECK(mo.clamped.empty());
  // ffn by hand (docs/cost-model.md): FLOPs 2 T L 3 h f; bytes L 3 h f w + a T L 3 (h + f).
  // Its compute rate is the chunk's, its memory rate the decode's.
  const double L = 2, h = 896, f = 4864;
  auto ffn_flops = [&](double T) { return 2 * T * L * 3 * h * f; };
  auto ffn_bytes = [&](double T) { return L * 3 * h * f * 2 + 2 * T * L * 3 * (h + f); };
  const double ec = ffn_flops(8) / pre.seconds.at("ffn") / hw.flops;
  const double em = ffn_bytes(1) / dec.seconds.at("ffn") / hw.mem_bw;
  REQUIRE(mo.operators.count("ffn"));
  CHECK(*mo.operators.at("ffn").compute == doctest::Approx(ec).epsilon(1e-12));
  CHECK(*mo.operators.at("ffn").memory == doctest::Approx(em).epsilon(1e-12));
  // Elementwise operators have no FLOPs, so no compute figure.
  CHECK_FALSE(mo.operators.at("norm").compute.has_value());
  CHECK(mo.operators.at("norm").memory.has_value());
  // Decode-only and prefill-only operators come from the one shape that has them.
  CHECK(mo.operators.count("attention_decode"));
  CHECK(mo.operators.count("attention_prefill"));
  // Attention's FLOPs grow with query-key pairs, so it is compute-bound here.
  CHECK(mo.operators.at("attention_prefill").compute.has_value());
  CHECK_FALSE(mo.operators.at("attention_prefill").memory.has_value());
  // The calibration rates are the best any operator reached.
  double best_fl = 0;
  for (const auto& [op, e] : mo.operators)
    if (e.compute) best_fl = std::max(best_fl, *e.compute * hw.flops);
  CHECK(mo.flops == doctest::Approx(best_fl).epsilon(1e-12));
}

TEST_CASE("with the measured profile a whole iteration is the sum of per-operator rooflines (closed form)") {
  const ModelSpec m = two_layer_model();
  const Hardware hw = load_hardware("cpu-generic");
  const std::vector<int> decodes{16, 16};
  const std::vector<PrefillChunk> chunk{{8, 0, true}};
  const OperatorTimings dec = synthetic(m, {}, decodes, 40e9, 30e9);
  const OperatorTimings pre = synthetic(m, chunk, {}, 60e9, 20e9);
  const MeasuredOperators mo = efficiencies_from_timings(m, hw, {dec, pre});
  const std::string path = msao::test::write_temp_file(
      "measured.yaml", measured_profile_yaml(mo, "cpu-generic", "cpu test device", "a test profile"));
  const CostModel cm(m, hw, path);
  REQUIRE(cm.profiled());

  // Each operator: max(FLOPs / (peak * compute), bytes / (peak * memory)),
  // no launch cost; an operator with no compute figure uses the calibration FLOP/s.
  auto closed_form = [&](const std::vector<PrefillChunk>& p, const std::vector<int>& d) {
    double s = 0;
    for (const OpWork& op : iteration_ops(m, Parallelism{}, p, d)) {
      const OpEfficiency& e = mo.operators.at(op_name(op.op));
      const double fl = e.compute ? hw.flops * *e.compute : mo.flops;
      const double bw = e.memory ? hw.mem_bw * *e.memory : mo.mem_bw_Bps;
      s += std::max(op.flops / fl, op.bytes / bw);
    }
    return s;
  };
  for (const auto& [p, d] : std::vector<std::pair<std::vector<PrefillChunk>, std::vector<int>>>{
           {{}, decodes}, {chunk, {}}, {chunk, decodes}, {{{4, 8, true}}, {32, 32, 32}}}) {
    const double whole = cm.batch_iteration(p, d).seconds;
    double sum = 0;
    for (const StageCost& op : cm.iteration_breakdown(p, d)) sum += op.seconds;
    CHECK(whole == doctest::Approx(sum).epsilon(1e-12));
    CHECK(whole == doctest::Approx(closed_form(p, d)).epsilon(1e-8));  // the profile stores 9 digits
  }

  // The envelope: at a measured shape no operator is predicted slower than
  // it was measured, and each meets its measurement in at least one shape.
  for (const OpWork& op : iteration_ops(m, Parallelism{}, chunk, decodes)) {
    const std::string& name = op_name(op.op);
    bool met = false;
    for (const OperatorTimings* t : {&dec, &pre}) {
      auto it = t->seconds.find(name);
      if (it == t->seconds.end()) continue;
      for (const OpWork& w : iteration_ops(m, Parallelism{}, t->prefills, t->decode_contexts))
        if (w.op == op.op) {
          const double pred = cm.op_seconds(w);
          CAPTURE(name);
          CHECK(pred <= it->second * (1 + 1e-8));
          met = met || std::abs(pred - it->second) <= 1e-8 * it->second;
        }
    }
    CAPTURE(name);
    CHECK(met);
  }
}

namespace {

// Synthetic times of the layer's projections alone on M tokens: a FLOP rate
// that grows with M up to a plateau (weights reused over more tokens) and a
// byte rate that does not, so that 1 and 2 tokens are memory-bound and 4 or
// more compute-bound; each operator a little off the others.
GemmTiming synthetic_gemm(const ModelSpec& m, int tokens) {
  GemmTiming g{tokens, {}};
  const double fl = std::min(20e9 * tokens, 40e9), bw = 12e9;
  int i = 0;
  for (const OpWork& op : iteration_ops(m, Parallelism{}, {{tokens, 0, false}}, {}))
    if (op.gemm_tokens > 0) {
      const double skew = 1.0 + 0.05 * i++;
      g.seconds[op_name(op.op)] = std::max(op.flops / (fl / skew), op.bytes / (bw / skew));
    }
  return g;
}

}  // namespace

TEST_CASE("a measured gemm table reproduces the projections at each M and predicts the LM head from them") {
  const ModelSpec m = two_layer_model();
  const Hardware hw = load_hardware("cpu-generic");
  const OperatorTimings dec = synthetic(m, {}, {16, 16}, 40e9, 30e9);
  const OperatorTimings pre = synthetic(m, {{8, 0, true}}, {}, 60e9, 20e9);
  const std::vector<int> ms{1, 2, 4, 8, 16, 64};
  std::vector<GemmTiming> gemm;
  for (int t : ms) gemm.push_back(synthetic_gemm(m, t));
  MeasuredOperators mo = efficiencies_from_timings(m, hw, {dec, pre}, gemm);
  mo.iterations = {"decode:2x16", "prefill:8@0"};
  CHECK(mo.clamped.empty());
  REQUIRE(mo.gemm.size() == ms.size());
  // The linear layers take the table; the LM head has no figure.
  for (const char* op : {"qkv", "o_proj", "ffn", "lm_head"}) CHECK(mo.operators.count(op) == 0);
  CHECK(mo.operators.count("attention_decode") == 1);
  // Rows by increasing M, each measured figure on the term that binds it:
  // memory at 1 and 2 tokens (compute there the best compute figure, which
  // does not bind), compute from 4 on (memory the best memory figure),
  // where the compute figures hold the FLOP rate's plateau.
  double best_memory = 0, best_compute = 0;
  for (const GemmRow& r : mo.gemm) {
    best_memory = std::max(best_memory, r.memory);
    best_compute = std::max(best_compute, r.compute);
  }
  for (size_t i = 0; i < ms.size(); ++i) {
    CAPTURE(ms[i]);
    CHECK(mo.gemm[i].tokens == ms[i]);
    if (ms[i] <= 2) CHECK(mo.gemm[i].compute == best_compute);
    else CHECK(mo.gemm[i].memory == best_memory);
    if (ms[i] > 4) CHECK(mo.gemm[i].compute >= mo.gemm[i - 1].compute * (1 - 1e-12));
  }
  // The LM head's measured times set nothing: any other times give the same profile.
  OperatorTimings dec2 = dec;
  dec2.seconds["lm_head"] *= 7;
  const std::string text = measured_profile_yaml(mo, "cpu-generic", "cpu test device", "a test profile");
  MeasuredOperators mo2 = efficiencies_from_timings(m, hw, {dec2, pre}, gemm);
  mo2.iterations = mo.iterations;
  CHECK(measured_profile_yaml(mo2, "cpu-generic", "cpu test device", "a test profile") == text);

  // The profile round-trips: the table and the calibration iterations.
  const Profile p = load_profile(msao::test::write_temp_file("measured-gemm.yaml", text));
  REQUIRE(p.gemm.memory.points.size() == ms.size());
  for (size_t i = 0; i < ms.size(); ++i) {
    CHECK(p.gemm.memory.points[i].first == ms[i]);
    CHECK(p.gemm.memory.points[i].second == doctest::Approx(mo.gemm[i].memory).epsilon(1e-8));
    CHECK(p.gemm.compute.points[i].second == doctest::Approx(mo.gemm[i].compute).epsilon(1e-8));
  }
  REQUIRE(p.calibration.has_value());
  CHECK(p.calibration->iterations == mo.iterations);

  // At each measured M the projections' predicted times add up to their measured sum.
  const CostModel cm(m, hw, p.file);
  for (const GemmTiming& g : gemm) {
    double pred = 0, meas = 0;
    for (const OpWork& op : iteration_ops(m, Parallelism{}, {{g.tokens, 0, false}}, {}))
      if (op.gemm_tokens > 0) {
        pred += cm.op_seconds(op);
        meas += g.seconds.at(op_name(op.op));
      }
    CAPTURE(g.tokens);
    CHECK(pred == doctest::Approx(meas).epsilon(1e-8));
  }
  // The LM head of one decode: its own work at the table's M = 1 row.
  for (const OpWork& op : iteration_ops(m, Parallelism{}, {}, {16}))
    if (op.op == Op::LmHead) {
      const double closed = std::max(op.flops / (hw.flops * mo.gemm[0].compute), op.bytes / (hw.mem_bw * mo.gemm[0].memory));
      CHECK(cm.op_seconds(op) == doctest::Approx(closed).epsilon(1e-8));
    }
}

TEST_CASE("a profile's gemm table outranks the hardware's figures and its own operators outrank the table") {
  const ModelSpec m = two_layer_model();
  const Hardware hw = load_hardware("h100-sxm");  // has a `gemm:` table of its own
  const std::string path = msao::test::write_temp_file(
      "profile-gemm.yaml", "gemm:\n  - {tokens: 1, memory: 0.25, compute: 0.5}\noperators:\n  ffn: {memory: 0.125}\n");
  const CostModel cm(m, hw, path);
  for (const OpWork& op : iteration_ops(m, Parallelism{}, {}, {16})) {
    if (op.op != Op::Qkv && op.op != Op::Ffn) continue;
    CAPTURE(op_name(op.op));
    const double launch = op.launches * cm.rates().launch_s;
    if (op.op == Op::Qkv)  // the table's row, of the catalog's peaks
      CHECK(cm.op_seconds(op) - launch ==
            doctest::Approx(std::max(op.flops / (0.5 * hw.flops), op.bytes / (0.25 * hw.mem_bw))).epsilon(1e-9));
    else  // its own memory figure; compute at the device's rate
      CHECK(cm.op_seconds(op) - launch ==
            doctest::Approx(std::max(op.flops / cm.rates().flops, op.bytes / (0.125 * hw.mem_bw))).epsilon(1e-9));
  }
}
