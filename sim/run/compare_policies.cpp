#include "sim/run/compare_policies.hpp"

#include <charconv>
#include <cstring>
#include <type_traits>

#include "sim/config/input_error.hpp"
#include "sim/util/proc_pool.hpp"
#include "sim/util/atomic_file.hpp"
#include "sim/metrics/outputs.hpp"
#include "sim/run/run_scenario.hpp"
#include "sim/run/run_to_dir.hpp"

namespace msao {

// The child hands its Summary back as raw bytes through the pipe.
static_assert(std::is_trivially_copyable_v<Summary>);

std::vector<PolicyOutcome> compare_policies(const CompareRequest& req) {
  std::vector<std::string> names = req.policies;
  if (names.empty())
    for (const auto& p : all_policies()) names.push_back(p.name);
  load_scenario(req.scenario, req.sets);  // validate once, before forking
  if (!req.out.empty()) {
    check_output_dir(req.out, {"compare.csv"});
    for (const auto& n : names) check_outputs(req.out + "/" + n);
  }
  std::vector<PolicyOutcome> outcomes(names.size());
  run_parallel(
      names.size(), req.jobs, 0,
      [&](size_t i) {
        auto sets = req.sets;
        sets.push_back("policy.type=" + names[i]);
        const Scenario sc = load_scenario(req.scenario, sets);
        RunOptions in_memory;
        in_memory.keep_records = false;
        const RunOutput out = req.out.empty() ? run_scenario(sc, in_memory) : run_to_dir(req.out + "/" + names[i], sc);
        return std::string(reinterpret_cast<const char*>(&out.summary), sizeof out.summary);
      },
      [&](const JobResult& r) {
        PolicyOutcome& o = outcomes[r.index];
        o.policy = names[r.index];
        o.status = r.fork.status;
        o.ok = r.fork.ok && r.fork.out.size() == sizeof(Summary);
        if (o.ok)
          std::memcpy(&o.summary, r.fork.out.data(), sizeof o.summary);
        else
          o.error = r.fork.out;
      });
  if (!req.out.empty()) write_file_atomic(req.out + "/compare.csv", compare_csv(outcomes));
  return outcomes;
}

namespace {
// Shortest text that reads back as the same double: the CSV loses nothing.
void put(std::string& s, double v) {
  char b[32];
  auto r = std::to_chars(b, b + sizeof b, v);
  s.append(b, r.ptr);
}
}  // namespace

std::string compare_csv(const std::vector<PolicyOutcome>& outcomes) {
  std::string s =
      "policy,completed,latency_ms_mean,latency_ms_p50,latency_ms_p95,latency_ms_p99,throughput_rps,"
      "throughput_tok_s,accuracy,edge_answer_fraction,uplink_bytes\n";
  for (const auto& o : outcomes) {
    if (!o.ok) continue;
    const Summary& m = o.summary;
    s += o.policy + ',' + std::to_string(m.completed);
    for (double v : {m.latency_ms.mean, m.latency_ms.p50, m.latency_ms.p95, m.latency_ms.p99, m.throughput_rps,
                     m.throughput_tok_s, m.accuracy, m.edge_answer_fraction, m.uplink_bytes}) {
      s += ',';
      put(s, v);
    }
    s += '\n';
  }
  return s;
}

}  // namespace msao
