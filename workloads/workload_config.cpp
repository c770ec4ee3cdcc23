// Parsing of the scenario's workload section (workload_config.hpp). Every
// key goes through YamlSection so typos and bad values are InputErrors with
// file, line and key.
#include "workloads/workload_config.hpp"

#include <filesystem>
#include <sstream>

#include "workloads/generator.hpp"

namespace msao {

namespace {

// "'text'" (built with append: GCC 12 warns falsely on "'" + string + "'").
std::string quoted(const YAML::Node& n) { return std::string("'").append(YAML::Dump(n)).append("'"); }

std::vector<double> number_list(YamlSection& s, const std::string& key, double lo, double hi) {
  YAML::Node n = s.raw()[key];
  if (!n || !n.IsSequence() || n.size() == 0) s.fail(key, n ? quoted(n) : "nothing", "a non-empty list of numbers");
  std::vector<double> out;
  for (const auto& item : n) {
    double v = 0;
    try {
      v = item.as<double>();
    } catch (const YAML::Exception&) {
      s.fail(key, quoted(item), "a list of numbers");
    }
    if (!(v >= lo && v <= hi)) {
      std::ostringstream f, e;
      f << v;
      e << "numbers in [" << lo << ", " << hi << "]";
      s.fail(key, f.str(), e.str());
    }
    out.push_back(v);
  }
  s.consume(key);
  s.resolved()[key] = n;
  return out;
}

ArrivalConfig parse_arrival(YamlSection& a) {
  ArrivalConfig c;
  const std::string type = a.choice("type", {"poisson", "mmpp", "closed", "replay"});
  c.start_s = a.num_or("start_s", 0, 0, 1e9);
  if (type == "poisson") {
    c.type = ArrivalType::Poisson;
    c.rate_rps = a.num("rate_rps", 1e-9, 1e9);
  } else if (type == "mmpp") {
    c.type = ArrivalType::Mmpp;
    c.rates_rps = number_list(a, "rates_rps", 0, 1e9);
    c.mean_dwell_s = number_list(a, "mean_dwell_s", 1e-6, 1e9);
    if (c.rates_rps.size() != c.mean_dwell_s.size() || c.rates_rps.size() < 2)
      a.fail("mean_dwell_s", std::to_string(c.mean_dwell_s.size()) + " entries",
             "one dwell time per rate, at least 2 states (rates_rps has " + std::to_string(c.rates_rps.size()) + ")");
    bool any = false;
    for (double r : c.rates_rps) any = any || r > 0;
    if (!any) a.fail("rates_rps", "all rates 0", "at least one positive rate");
  } else if (type == "closed") {
    c.type = ArrivalType::Closed;
    c.users_per_edge = static_cast<int>(a.integer("users_per_edge", 1, kMaxClosedLoopUsers));
    c.think_s = a.num("think_s", 0, 1e9);
    c.think = a.choice("think", {"exponential", "constant"}, std::string("exponential")) == "constant"
                  ? ThinkDistribution::Constant
                  : ThinkDistribution::Exponential;
  } else {
    c.type = ArrivalType::Replay;
  }
  a.finish();
  return c;
}

}  // namespace

WorkloadConfig parse_workload(YamlSection& s) {
  WorkloadConfig c;
  c.source = s.choice("source", {"generator", "trace", "serving-trace"}, std::string("generator"));
  if (c.source == "generator") {
    c.dataset = s.choice("dataset", generator_datasets());
    c.requests = static_cast<size_t>(s.integer("requests", 1, kMaxRequests));
  } else {
    c.trace_path = s.file_path("trace");
    c.requests = static_cast<size_t>(s.integer_or("requests", 0, 0, kMaxRequests));
  }
  c.edges = s.choice("edges", {"random", "round_robin"}, std::string("random")) == "round_robin"
                ? EdgeAssignment::RoundRobin
                : EdgeAssignment::Random;
  // Read only when given, so scenarios without it resolve as before.
  if (s.has("unsupported_inputs"))
    c.drop_unsupported_inputs = s.choice("unsupported_inputs", {"reject", "drop"}) == "drop";
  else
    s.consume("unsupported_inputs");
  if (s.has("output_tokens")) {
    YamlSection o = s.child("output_tokens");
    c.output_tokens = parse_output_length(o);
  } else {
    s.consume("output_tokens");
  }
  // alpha = 0 would make every drafted token's confidence 0 (q = U^(1/alpha - 1)).
  if (s.has("draft_acceptance"))
    c.draft_acceptance = s.num("draft_acceptance", 0.01, 1.0);
  else
    s.consume("draft_acceptance");
  if (s.has("sessions")) {
    YamlSection ss = s.child("sessions");
    c.sessions.turns = static_cast<int>(ss.integer("turns", 1, 1000));
    ss.finish();
  } else {
    s.consume("sessions");
  }
  if (s.has("shared_prefix")) {
    YamlSection sp = s.child("shared_prefix");
    c.sessions.prefix_tokens = static_cast<int>(sp.integer("tokens", 1, 1000000));
    c.sessions.prefix_groups = static_cast<int>(sp.integer_or("groups", 1, 1, 1000000));
    sp.finish();
  } else {
    s.consume("shared_prefix");
  }
  YamlSection a = s.child("arrival");
  c.arrival = parse_arrival(a);
  if (c.sessions.turns > 1 && c.arrival.type != ArrivalType::Closed && c.arrival.type != ArrivalType::Replay)
    s.fail("sessions", "turns: " + std::to_string(c.sessions.turns) + " with open-loop arrivals",
           "arrival type closed (a user thinks between turns) or replay (the trace's times)");
  if (c.arrival.type == ArrivalType::Replay && c.source == "generator")
    s.fail("arrival", "type: replay with source: generator", "source: trace or serving-trace (replay uses the trace's timestamps)");
  s.finish();
  return c;
}

ThinkTimeSampler::ThinkTimeSampler(const ArrivalConfig& cfg, uint64_t seed, int edge, int user)
    : mean_(cfg.think_s),
      dist_(cfg.think),
      rng_(seed, "think/" + std::to_string(edge) + "/" + std::to_string(user)) {}

double ThinkTimeSampler::next() { return dist_ == ThinkDistribution::Constant ? mean_ : rng_.exponential(mean_); }

}  // namespace msao
