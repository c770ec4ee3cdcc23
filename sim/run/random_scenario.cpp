#include "sim/run/random_scenario.hpp"

#include <algorithm>
#include <cstdio>

#include "sim/cost/catalog.hpp"
#include "sim/policy/policy.hpp"
#include "workloads/rng.hpp"

namespace msao {

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

template <typename T, size_t N>
const T& pick(Rng& r, const T (&options)[N]) {
  return options[r.integer(0, N - 1)];
}

// A policy parameter drawn inside its registered range, of its kind
// (whole numbers and switches stay whole).
std::string param_value(Rng& r, const ParamSpec& p) {
  if (p.kind != ParamKind::Number) {
    // Mostly near the default: a window of 1000 tokens says little more than one of 64.
    const long long hi = static_cast<long long>(std::min(p.hi, std::max(p.lo + 1, p.dflt * 3)));
    return std::to_string(r.integer(static_cast<long long>(p.lo), hi));
  }
  // Mostly near the default: the corners of a wide range say little.
  const double hi = std::min(p.hi, p.dflt == 0 ? p.lo + 1 : p.dflt * 3);
  return fmt("%.4g", r.uniform(p.lo, std::max(p.lo, hi)));
}

}  // namespace

std::string random_scenario_base() { return cost::resolve_catalog("scenarios", "paper"); }

std::vector<std::string> random_scenario_overrides(uint64_t seed) {
  Rng r(seed, "random-scenario");
  std::vector<std::string> o;
  const auto& policies = all_policies();
  const PolicyInfo& policy = policies[r.integer(0, static_cast<long long>(policies.size()) - 1)];
  o.push_back("policy.type=" + policy.name);
  for (const ParamSpec& p : policy.params)
    if (r.bernoulli(0.4)) o.push_back("policy." + p.name + "=" + param_value(r, p));

  static const char* kServing[] = {"vllm", "hf-eager"};
  o.push_back(std::string("platform.serving=") + pick(r, kServing));
  static const char* kDatasets[] = {"vqav2", "mmbench", "video-qa", "coco-caption", "mm-vet"};
  const std::string dataset = pick(r, kDatasets);
  o.push_back("workload.dataset=" + dataset);
  // The paper's models see no audio: a video clip's sound track is dropped.
  if (dataset == "video-qa") o.push_back("workload.unsupported_inputs=drop");
  if (r.bernoulli(0.2)) {
    // Answers of any length up to 48 tokens, whatever the dataset's.
    const long long longest = r.integer(1, 48);
    o.push_back("workload.output_tokens={type: uniform, min: 1, max: " + std::to_string(longest) + "}");
  }
  const int edges = static_cast<int>(r.integer(1, 4));
  o.push_back("platform.edges.0.count=" + std::to_string(edges));
  o.push_back("workload.requests=" + std::to_string(r.integer(20, 120)));
  // Each draw is its own statement: the operands of + are unsequenced, and
  // the same seed must draw the same scenario under every compiler.
  auto draw = [&r](const char* format, double lo, double hi) { return fmt(format, r.uniform(lo, hi)); };
  const long long arrival = r.integer(0, 2);
  if (arrival == 0) {
    o.push_back("workload.arrival={type: poisson, rate_rps: " + draw("%.3g", 0.2, 12) + "}");
  } else if (arrival == 1) {
    const std::string low = draw("%.3g", 0.1, 2);
    const std::string high = draw("%.3g", 4, 20);
    o.push_back("workload.arrival={type: mmpp, rates_rps: [" + low + ", " + high + "], mean_dwell_s: [5, 2]}");
  } else {
    const std::string users = std::to_string(r.integer(1, 6));
    const std::string think = r.bernoulli(0.3) ? fmt("%.3g", 0.0) : draw("%.3g", 0, 2);
    o.push_back("workload.arrival={type: closed, users_per_edge: " + users + ", think_s: " + think + "}");
  }
  static const char* kTraces[] = {"4g.csv", "5g.csv", "5g-collapse.csv", "wifi-contention.csv", "lte-day.csv",
                                  "4g-outages.csv"};
  if (r.bernoulli(0.35)) {
    o.push_back(std::string("platform.edges.0.uplink={trace: ../../traces/network/") + pick(r, kTraces) + "}");
  } else {
    const std::string bandwidth = draw("%.4g", 5, 500);
    const std::string rtt = draw("%.3g", 2, 120);
    o.push_back("platform.edges.0.uplink={bandwidth: " + bandwidth + "Mbps, rtt: " + rtt + "ms}");
  }

  // The cloud: replicas of 1 or 2 GPUs (tensor parallel over NVLink), its batching and KV policy.
  const int tp = r.bernoulli(0.25) ? 2 : 1;
  o.push_back(std::string("platform.cloud.hardware=") + (tp > 1 ? "a100-80gb" : r.bernoulli(0.5) ? "a100-40gb" : "a100-80gb"));
  o.push_back("platform.cloud.tensor_parallel=" + std::to_string(tp));
  o.push_back("platform.cloud.gpus=" + std::to_string(tp * r.integer(1, 2)));
  o.push_back("platform.cloud.max_batch=" + std::to_string(r.integer(1, 64)));
  if (r.bernoulli(0.4)) o.push_back("platform.cloud.chunked_prefill_tokens=" + std::to_string(r.integer(1, 8) * 64));
  if (r.bernoulli(0.4)) o.push_back("platform.cloud.kv_cache=on-demand");
  static const char* kDispatchers[] = {"least-loaded", "round-robin", "llumnix"};
  o.push_back(std::string("platform.cloud.dispatcher=") + pick(r, kDispatchers));

  // Faults, in a third of the runs: outages, GPU failures, timeouts with retries.
  if (r.bernoulli(0.33)) {
    std::string f = "platform.faults={";
    if (r.bernoulli(0.5)) {
      const std::string every = draw("%.3g", 5, 30);
      f += "access_outage: {every: " + every + "s, duration: " + draw("%.3g", 0.2, 3) + "s}, ";
    }
    if (r.bernoulli(0.5)) {
      const std::string mtbf = draw("%.3g", 5, 60);
      f += "gpu_failure: {mtbf: " + mtbf + "s, mttr: " + draw("%.3g", 0.5, 5) + "s}, ";
    }
    if (r.bernoulli(0.5)) {
      const std::string mtbf = draw("%.3g", 10, 120);
      f += "edge_failure: {mtbf: " + mtbf + "s, mttr: " + draw("%.3g", 0.5, 5) + "s}, ";
    }
    const std::string timeout = draw("%.3g", 0.2, 3);
    f += "timeout: " + timeout + "s, retries: " + std::to_string(r.integer(0, 3)) + ", backoff: 100ms}";
    o.push_back(f);
  }
  // A horizon that may stop the run with requests in flight.
  if (r.bernoulli(0.2)) o.push_back("run.horizon=" + draw("%.3g", 1, 20) + "s");
  o.push_back("run.seed=" + std::to_string(r.integer(1, 1000000)));
  // Reuse of earlier work (drawn last, so the draws above stay each seed's):
  // conversations for closed-loop users, a shared system prompt, the
  // cloud's prefix cache and the devices' own context on or off.
  if (arrival == 2 && r.bernoulli(0.4)) o.push_back("workload.sessions={turns: " + std::to_string(r.integer(2, 6)) + "}");
  if (r.bernoulli(0.3)) {
    const std::string tokens = std::to_string(r.integer(8, 300));
    o.push_back("workload.shared_prefix={tokens: " + tokens + ", groups: " + std::to_string(r.integer(1, 3)) + "}");
  }
  o.push_back(std::string("platform.cloud.prefix_caching=") + (r.bernoulli(0.7) ? "true" : "false"));
  if (r.bernoulli(0.3)) o.push_back("platform.edges.0.keep_context=false");
  // A disaggregated cloud in a third of the runs: encode, prefill and
  // decode stages in two or three pools of 1-2 replicas each.
  if (r.bernoulli(0.33)) {
    static const char* kLayouts[][3] = {{"[encode]", "[prefill, decode]", nullptr},
                                        {"[encode, prefill]", "[decode]", nullptr},
                                        {"[encode]", "[prefill]", "[decode]"}};
    const auto& layout = kLayouts[r.integer(0, 2)];
    std::string pools = "platform.cloud.pools=[";
    long long gpus = 0;
    for (const char* stages : layout) {
      if (!stages) break;
      const long long n = tp * r.integer(1, 2);
      gpus += n;
      pools += std::string(gpus > n ? ", " : "") + "{stages: " + stages + ", gpus: " + std::to_string(n) + "}";
    }
    o.push_back(pools + "]");
    o.push_back("platform.cloud.gpus=" + std::to_string(gpus));
    o.push_back("platform.cloud.interconnect={bandwidth: " + draw("%.3g", 10, 400) + "Gbps, latency: 10us}");
  }
  return o;
}

std::string random_scenario_command(uint64_t seed) {
  std::string cmd = "msao run " + random_scenario_base() + " --check";
  for (const auto& s : random_scenario_overrides(seed)) cmd += " --set '" + s + "'";
  return cmd;
}

}  // namespace msao
