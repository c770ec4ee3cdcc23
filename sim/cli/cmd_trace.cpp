// `msao trace ...`: make and inspect workload traces.
//   gen      dataset-shaped MAS trace (optionally with Poisson arrivals)
//   check    validate a MAS trace (exit 2 with file:line:column if bad)
//   stats    per-column distributions, accuracies, calibration
//   net-gen  network trace from the uplink Markov model or a static link
//   net-check validate a network trace
#include <iostream>
#include <sstream>

#include "sim/cli/command_registry.hpp"
#include "workloads/generator.hpp"
#include "workloads/mas_trace.hpp"
#include "workloads/network_model.hpp"
#include "workloads/network_trace.hpp"
#include "workloads/sessions.hpp"
#include "workloads/trace_stats.hpp"
#include "workloads/workload_config.hpp"

namespace msao::cli {

namespace {

struct TraceOptions {
  std::string dataset = "vqav2", out, file, kind;
  size_t n = 1000;
  uint64_t seed = 1;
  double rate_rps = 0;
  int edges = 1;
  SessionShape sessions;
  double duration_s = 600, step_s = 1, bandwidth_mbps = 0, rtt_ms = 20;
};

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// CLI11's Range lets NaN through (every comparison with it is false), and a
// NaN rate or bandwidth makes a trace the readers reject: check here.
void check_finite(const std::string& option, double v, double lo, double hi) {
  if (!(v >= lo && v <= hi))
    throw InputError("command line", 0, option, num(v), "a number in [" + num(lo) + ", " + num(hi) + "]");
}

// Each request is written as it is made: memory does not grow with --n
// (10,000,000 requests are about 3.9 GB of rows).
int run_gen(const TraceOptions& o) {
  check_finite("--rate-rps", o.rate_rps, 0, 1e9);
  // A trace holds arrivals up to kMaxMasTraceArrival_s: n requests at this
  // rate on each of the edges must come well within it on average (a tenth
  // of it), and the draw is checked below for its rare tail.
  const double min_rate = 10.0 * static_cast<double>(o.n) / (kMaxMasTraceArrival_s * o.edges);
  const auto too_slow = [&] {
    return InputError("command line", 0, "--rate-rps", num(o.rate_rps),
                      "0 (no arrivals) or at least " + num(min_rate) + " requests/s per edge, so that " +
                          std::to_string(o.n) + " requests over " + std::to_string(o.edges) +
                          " edges arrive within 1e9 s, the latest arrival a MAS trace holds");
  };
  size_t written = 0;
  if (o.rate_rps > 0) {
    if (o.rate_rps < min_rate) throw too_slow();
    WorkloadConfig w;
    w.dataset = o.dataset;
    w.requests = o.n;
    w.arrival.rate_rps = o.rate_rps;
    w.sessions = o.sessions;
    const std::unique_ptr<RequestSource> source = open_workload(w, o.seed, o.edges);
    // The draw's rare tail past the latest arrival a trace holds refuses the
    // whole trace (written to a temporary file, so nothing is left behind).
    written = write_mas_trace(
        o.out,
        [&](Request& r) {
          if (!source->next(r)) return false;
          if (!(r.arrival_s <= kMaxMasTraceArrival_s)) throw too_slow();
          return true;
        },
        o.sessions.active());
  } else {
    RequestGenerator gen(o.dataset, o.seed);  // generate_requests(dataset, n, seed), one at a time
    SessionShaper shaper(o.sessions);
    written = write_mas_trace(
        o.out,
        [&, made = size_t{0}](Request& r) mutable {
          if (made == o.n) return false;
          r = gen.next();
          if (o.sessions.active()) shaper.apply(r);
          ++made;
          return true;
        },
        o.sessions.active());
  }
  std::cout << "wrote " << written << " requests to " << o.out << "\n";
  return 0;
}

int run_net_gen(const TraceOptions& o) {
  NetworkTrace tr;
  std::vector<std::string> comment;
  check_finite("--rtt-ms", o.rtt_ms, 0, 1e5);
  check_finite("--duration-s", o.duration_s, 1e-3, 1e7);
  check_finite("--step-s", o.step_s, 1e-2, 1e6);
  if (o.kind == "static") {
    if (!(o.bandwidth_mbps > 0 && o.bandwidth_mbps <= 1e6))
      throw InputError("--bandwidth-mbps", 0, "bandwidth-mbps", num(o.bandwidth_mbps), "a bandwidth in (0, 1e6] Mbit/s for --kind static");
    tr = constant_network(o.bandwidth_mbps * 1e6 / 8.0, o.rtt_ms / 1000.0);
    comment.push_back("static link: msao trace net-gen --kind static --bandwidth-mbps " + num(o.bandwidth_mbps) + " --rtt-ms " + num(o.rtt_ms));
  } else {
    const LinkModel& m = link_model(o.kind);
    if (!(o.step_s > 0) || !(o.duration_s >= o.step_s)) throw InputError("--step-s", 0, "step-s", num(o.step_s), "0 < step-s <= duration-s");
    if (o.duration_s / o.step_s > static_cast<double>(kMaxNetworkTraceRows))
      throw InputError("command line", 0, "--duration-s / --step-s", num(o.duration_s / o.step_s) + " samples",
                       "at most " + std::to_string(kMaxNetworkTraceRows) + " samples (network trace limit)");
    tr = generate_network_trace(m, o.duration_s, o.step_s, o.seed);
    comment.push_back("uplink Markov model '" + m.name + "' (traces/README.md): msao trace net-gen --kind " + m.name + " --seed " + std::to_string(o.seed) + " --duration-s " + num(o.duration_s) + " --step-s " + num(o.step_s));
  }
  write_network_trace(o.out, tr, comment);
  std::cout << "wrote " << tr.t_s.size() << " samples to " << o.out << "\n";
  return 0;
}

// CLI11 reads "-5" into an unsigned seed as 2^64-5: refuse a sign instead.
const CLI::Validator kSeed(
    [](std::string& v) { return v.find_first_not_of("0123456789") == std::string::npos && !v.empty() ? std::string() : "found '" + v + "', expected a seed: a whole number >= 0"; },
    "SEED");

Runner setup(CLI::App& sub) {
  auto o = std::make_shared<TraceOptions>();
  sub.require_subcommand(1);
  CLI::App* gen = sub.add_subcommand("gen", "Generate a dataset-shaped MAS trace");
  gen->add_option("--dataset", o->dataset, kGeneratorDatasetList)->check(CLI::IsMember(generator_datasets()));
  gen->add_option("--n", o->n, "number of requests")->check(CLI::Range(size_t{1}, static_cast<size_t>(kMaxRequests)));
  gen->add_option("--seed", o->seed, "random seed")->check(kSeed);
  gen->add_option("--rate-rps", o->rate_rps, "fill Poisson arrivals at this rate per edge (0: leave arrivals at 0)")->check(CLI::Range(0.0, 1e9));
  gen->add_option("--edges", o->edges, "edges for --rate-rps (assigned uniformly at random)")->check(CLI::Range(1, 1000000));
  gen->add_option("--turns", o->sessions.turns, "conversations of this many turns about one media item (1: none)")
      ->check(CLI::Range(1, 1000));
  gen->add_option("--shared-prefix", o->sessions.prefix_tokens, "a shared system prompt of this many tokens (0: none)")
      ->check(CLI::Range(0, 1000000));
  gen->add_option("--prefix-groups", o->sessions.prefix_groups, "distinct shared prompts, dealt to conversations in turn")
      ->check(CLI::Range(1, 1000000));
  gen->add_option("-o,--output", o->out, "output CSV file")->required();
  CLI::App* check = sub.add_subcommand("check", "Validate a MAS trace file");
  check->add_option("file", o->file, "MAS trace v1 CSV")->required();
  CLI::App* stats = sub.add_subcommand("stats", "Print per-column distributions of a MAS trace");
  stats->add_option("file", o->file, "MAS trace v1 CSV")->required();
  CLI::App* net = sub.add_subcommand("net-gen", "Generate a network (uplink) trace");
  net->add_option("--kind", o->kind, "static, wifi, 4g, 5g or outage")->required();
  net->add_option("--seed", o->seed, "random seed")->check(kSeed);
  net->add_option("--duration-s", o->duration_s, "trace length and loop period, seconds")->check(CLI::Range(1e-3, 1e7));
  net->add_option("--step-s", o->step_s, "sampling step, seconds")->check(CLI::Range(1e-2, 1e6));
  net->add_option("--bandwidth-mbps", o->bandwidth_mbps, "static: bandwidth, Mbit/s");
  net->add_option("--rtt-ms", o->rtt_ms, "static: round-trip time, ms")->check(CLI::Range(0.0, 1e5));
  net->add_option("-o,--output", o->out, "output CSV file")->required();
  CLI::App* netcheck = sub.add_subcommand("net-check", "Validate a network trace file");
  netcheck->add_option("file", o->file, "network trace v1 CSV")->required();
  return [o, gen, check, stats, net, netcheck]() -> int {
    if (gen->parsed()) return run_gen(*o);
    if (net->parsed()) return run_net_gen(*o);
    if (netcheck->parsed()) {
      NetworkTrace tr = load_network_trace(o->file);
      std::cout << o->file << ": ok, " << tr.t_s.size() << " samples, period " << tr.period_s << " s\n";
      return 0;
    }
    require_input_file(o->file, "a MAS trace v1 CSV");
    auto rs = read_mas_trace(o->file);
    if (rs.empty()) throw InputError(o->file, 0, "", "a header and no requests", "at least one request row");
    if (check->parsed()) std::cout << o->file << ": ok, " << rs.size() << " requests\n";
    if (stats->parsed()) std::cout << trace_stats_report(rs);
    return 0;
  };
}

const bool registered = register_command({"trace", "Generate, check and summarise workload and network traces", setup});

}  // namespace

}  // namespace msao::cli
