#include "sim/scenario/faults_config.hpp"

#include <cmath>
#include <cstdio>

namespace msao {

namespace {

// {every, duration, offset}: down from `offset` for `duration`, every `every`.
OutageSpec parse_outage(YamlSection o) {
  OutageSpec s;
  s.every_s = o.quantity("every", "time", std::nullopt, 0.01, 1e9);
  s.duration_s = o.quantity("duration", "time", std::nullopt, 0.001, 1e9);
  s.offset_s = o.quantity("offset", "time", 0.0, 0, 1e9);
  if (s.offset_s + s.duration_s >= s.every_s)
    o.fail("duration", "offset + duration = " + std::to_string(s.offset_s + s.duration_s) + " s",
           "an outage that ends before the next one begins (offset + duration < every = " + std::to_string(s.every_s) +
               " s)");
  o.finish();
  return s;
}

// {mtbf, mttr}: exponential times between failures and to repair.
void parse_failures(YamlSection g, double& mtbf_s, double& mttr_s) {
  mtbf_s = g.quantity("mtbf", "time", std::nullopt, 1, 1e12);
  mttr_s = g.quantity("mttr", "time", std::nullopt, 0.001, 1e12);
  g.finish();
}

}  // namespace

FaultSpec parse_faults(YamlSection f) {
  FaultSpec s;
  if (f.has("access_outage")) s.access_outage = parse_outage(f.child("access_outage"));
  if (f.has("wan_outage")) s.wan_outage = parse_outage(f.child("wan_outage"));
  if (f.has("gpu_failure")) parse_failures(f.child("gpu_failure"), s.gpu_mtbf_s, s.gpu_mttr_s);
  if (f.has("edge_failure")) parse_failures(f.child("edge_failure"), s.edge_mtbf_s, s.edge_mttr_s);
  s.timeout_s = f.quantity("timeout", "time", 0.0, 0, 1e9);
  s.retries = static_cast<int>(f.integer_or("retries", 0, 0, 100));
  s.backoff_s = f.quantity("backoff", "time", 0.1, 0, 3600);
  // Before retry i the request waits backoff x 2^i: 100 retries of an hour
  // would end every request at 4.6e33 s.
  const double total = s.backoff_s * (std::ldexp(1.0, s.retries) - 1);
  if (total > kMaxTotalBackoff_s) {
    char found[160];
    std::snprintf(found, sizeof found, "backoff %g s x (2^%d - 1) = %.3g s of waiting over %d retries", s.backoff_s,
                  s.retries, total, s.retries);
    // retries, the exponent, unless only backoff was given.
    f.fail(f.has("retries") || !f.has("backoff") ? "retries" : "backoff", found,
           "at most " + std::to_string(static_cast<long>(kMaxTotalBackoff_s)) +
               " s of backoff in all (docs/faults.md): fewer retries or a shorter backoff");
  }
  f.finish();
  return s;
}

}  // namespace msao
