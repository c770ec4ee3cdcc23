#include "sim/scenario/scenario.hpp"

#include "sim/config/override_blame.hpp"
#include "sim/config/parsed_file_cache.hpp"
#include "sim/scenario/faults_config.hpp"
#include "sim/scenario/radio_config.hpp"
#include "sim/config/yaml_section.hpp"
#include "sim/scenario/catalog_key.hpp"
#include <algorithm>
#include <cmath>
#include <optional>
#include <cstdio>

#include "sim/cost/catalog.hpp"
#include "sim/cost/cost_model.hpp"
#include "sim/cost/hardware.hpp"
#include "sim/cost/model_spec.hpp"
#include "sim/engine/dispatcher.hpp"
#include "sim/engine/simulation.hpp"
#include "workloads/network_trace.hpp"

namespace msao {

namespace {

// A link driven by the network trace at `path`: its SimGrid bandwidth
// profile and latency floor, and the latency above the floor over time.
LinkSpec link_from_trace(const std::string& path) {
  LinkSpec l;
  auto t = std::make_shared<const NetworkTrace>(load_network_trace(path));
  l.bandwidth_Bps = t->bandwidth_Bps.front();
  l.latency_s = latency_floor_s(*t);
  l.bandwidth_trace = t;
  // extra_latency_s(*t, when), with the floor (a minimum over every row) found once, not at every send.
  l.extra_latency = [t, floor = l.latency_s](double when) { return std::max(0.0, sample_at(*t, when).rtt_s / 2 - floor); };
  return l;
}

// A link: either constant (bandwidth + rtt) or driven by a network trace.
// `rtt` is the round trip the user measured; each direction gets half.
LinkSpec read_link(YamlSection s, std::optional<LinkSpec> dflt = std::nullopt) {
  LinkSpec l;
  if (s.has("trace")) {
    // Built once per trace file and content (a fleet's groups, the sweep
    // and tune checks); the parsed rows are shared by every link on it.
    l = cached_parse<LinkSpec>("link-from-network-trace", s.file_path("trace"), link_from_trace);
  } else {
    l.bandwidth_Bps = s.quantity("bandwidth", "bandwidth", dflt ? std::optional(dflt->bandwidth_Bps) : std::nullopt,
                                 1.0, 1e13);
    l.latency_s = s.quantity("rtt", "time", dflt ? std::optional(2 * dflt->latency_s) : std::nullopt, 0, 10) / 2;
  }
  s.finish();
  return l;
}

// platform.cloud.tensor_parallel / pipeline_parallel: a replica is tp x pp
// GPUs, `gpus` a whole number of replicas, and tensor parallelism needs the
// interconnect its all-reduces run over.
void read_parallelism(YamlSection& cloud, Scenario& sc) {
  cost::Parallelism& par = sc.cloud_parallel;
  // Read only when given, so scenarios without them resolve as before.
  for (const char* key : {"tensor_parallel", "pipeline_parallel"}) {
    if (!cloud.has(key)) {
      cloud.consume(key);
      continue;
    }
    (std::string(key) == "tensor_parallel" ? par.tp : par.pp) = static_cast<int>(cloud.integer(key, 1, 64));
  }
  const int gpus = sc.platform.cloud.gpus;
  if (gpus % par.gpus() != 0)
    cloud.fail("gpus", std::to_string(gpus),
               "a multiple of tensor_parallel x pipeline_parallel = " + std::to_string(par.gpus()) + " (one replica)");
  if (par.gpus() > 1 && sc.cloud_hardware.interconnect.name.empty())
    cloud.fail(par.tp > 1 ? "tensor_parallel" : "pipeline_parallel", std::to_string(par.tp > 1 ? par.tp : par.pp),
               "1, or hardware whose catalog entry (" + sc.cloud_hardware.source_file +
                   ") names an `interconnect` for its all-reduces and sends");
  sc.platform.cloud.replica_gpus = par.gpus();
}

// The model's decoder must split as the replica asks, as vLLM requires: a
// pipeline stage holds at least one layer, and tensor parallelism splits
// the attention heads evenly and the KV heads either evenly or by
// replicating each over tp / kv_heads ranks.
void check_parallelism(const Scenario& sc, const cost::Parallelism& par, const std::string& path, int tp_line,
                       int pp_line, const std::string& tp_key = "platform.cloud.tensor_parallel") {
  if (par.gpus() == 1) return;
  const cost::TransformerSpec& d = cost::load_model(sc.cloud_model).decoder;
  const std::string model = "model '" + sc.cloud_model + "'";
  if (par.pp > d.layers)
    throw InputError(path, pp_line, "platform.cloud.pipeline_parallel",
                     std::to_string(par.pp) + " stages for the " + std::to_string(d.layers) + " layers of " + model,
                     "at most " + std::to_string(d.layers) + " (each pipeline stage holds whole layers)");
  auto splits = [&d](int tp) {
    return d.heads % tp == 0 && d.kv_heads > 0 && (d.kv_heads % tp == 0 || tp % d.kv_heads == 0);
  };
  if (splits(par.tp)) return;
  std::string valid;
  for (int tp = 1; tp <= 64; ++tp)
    if (splits(tp)) valid += (valid.empty() ? "" : ", ") + std::to_string(tp);
  throw InputError(path, tp_line, tp_key,
                   std::to_string(par.tp) + " for the " + std::to_string(d.heads) + " attention heads and " +
                       std::to_string(d.kv_heads) + " KV heads of " + model,
                   "a tensor_parallel that divides the attention heads and divides or is a multiple of the KV heads "
                   "(as vLLM requires): one of " + valid);
}

// A catalog entry named by a scenario key: a bare name must be in the
// catalog (an unknown one is reported against the key), a path is taken
// from the scenario's folder (docs/scenario.md), as every other file is.
std::string catalog_ref(YamlSection& s, const std::string& key, const std::string& kind) {
  const std::string v = s.str(key);
  if (v.find('/') != std::string::npos || v.ends_with(".yaml")) return s.file_path(key);
  if (cost::in_catalog(kind, v)) return v;
  s.fail(key, "unknown " + kind + " '" + v + "'", cost::catalog_expected(kind));
}

std::string gb(double bytes) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f GB", bytes / 1e9);
  return b;
}

// What a device must hold before it serves anything: the model's weights,
// the KV cache of one request at the model's full context, and the serving
// runtime (CUDA context and graph pool), which each GPU of a replica holds.
struct MemoryNeed {
  double weights = 0, kv = 0, runtime = 0;
  int context = 0;
  double model() const { return weights + kv; }
  double total() const { return weights + kv + runtime; }
};

MemoryNeed memory_need(const std::string& model_ref, const cost::Hardware& hw, const std::optional<std::string>& profile,
                       const cost::Parallelism& par, const cost::ServingProfile& serving) {
  const cost::ModelSpec model = cost::load_model(model_ref);
  const cost::CostModel m(model, hw, profile, par);
  MemoryNeed n;
  n.context = std::max(model.max_context, 0);
  n.weights = m.weight_bytes();
  n.kv = m.kv_bytes_per_token() * n.context;
  n.runtime = serving.runtime_mem_bytes * par.gpus();
  return n;
}

// The serving runtime is what leaves no room: blamed on the serving entry's
// larger part (a cuda_context of 200GB in a copy of vllm.yaml).
// `room` says what the device offers ("the cloud's budget of ...").
[[noreturn]] void runtime_too_large(const Scenario& sc, const MemoryNeed& need, const std::string& model,
                                    const std::string& room) {
  const cost::ServingProfile& s = sc.serving;
  const bool context = s.cuda_context_bytes >= s.graph_pool_bytes;
  char found[768];
  std::snprintf(found, sizeof found,
                "%s (cuda_context %s + graph_pool %s per GPU), which with the weights (%s) and the KV cache of one "
                "%d-token request (%s) of model '%s' needs %s, more than %s",
                gb(need.runtime).c_str(), gb(s.cuda_context_bytes).c_str(), gb(s.graph_pool_bytes).c_str(),
                gb(need.weights).c_str(), need.context, gb(need.kv).c_str(), model.c_str(), gb(need.total()).c_str(),
                room.c_str());
  throw InputError(s.source_file, context ? s.cuda_context_line : s.graph_pool_line, context ? "cuda_context" : "graph_pool",
                   found, "a serving runtime that leaves room for the model (vLLM's CUDA context and graph pool take 0.54 GiB)");
}

// The cloud's memory budget (mem_utilization x GPU memory) must hold the
// weights, the serving runtime and the KV cache of one request at the
// model's full context, and each edge device's memory the same for the
// edge model: otherwise every request would be rejected, or a run would
// report a peak far above the device, and still exit 0.
// One replica of `par` GPUs of `hw`; `what` names it in the message.
void check_cloud_memory(const Scenario& sc, const cost::Hardware& hw, const cost::Parallelism& par,
                        const std::optional<std::string>& profile, const std::string& path, int line,
                        const std::string& key, const std::string& what) {
  const int gpus = par.gpus();
  const double budget = sc.cloud_mem_utilization * hw.mem_bytes * gpus;
  const MemoryNeed need = memory_need(sc.cloud_model, hw, profile, par, sc.serving);
  const std::string replica = gpus > 1 ? " x " + std::to_string(gpus) + " GPUs of a replica" : "";
  char budget_text[256];
  std::snprintf(budget_text, sizeof budget_text, "%g x %.2f GB%s = %s", sc.cloud_mem_utilization,
                hw.mem_bytes / 1e9, replica.c_str(), gb(budget).c_str());
  if (budget < need.model()) {
    char found[512];
    std::snprintf(found, sizeof found, "%s%s for model '%s', which needs %s (weights and the KV cache of one %d-token request)",
                  what.c_str(), budget_text, sc.cloud_model.c_str(), gb(need.model()).c_str(), need.context);
    throw InputError(path, line, key, found,
                     "a memory budget that holds them: a higher mem_utilization, a larger GPU or a smaller model");
  }
  if (budget < need.total())
    runtime_too_large(sc, need, sc.cloud_model, "the cloud's budget of " + std::string(budget_text));
}

void check_memory(const Scenario& sc, const std::string& path, int line) {
  check_cloud_memory(sc, sc.cloud_hardware, sc.cloud_parallel, sc.cloud_profile, path, line,
                     "platform.cloud.mem_utilization", "");
  // A pool on its own hardware or parallelism (a measured profile is the cloud hardware's).
  for (const CloudPoolConfig& pool : sc.cloud_pools)
    if (pool.hardware || pool.parallel.tp != sc.cloud_parallel.tp)
      check_cloud_memory(sc, pool.hardware ? *pool.hardware : sc.cloud_hardware, pool.parallel,
                         pool.hardware ? std::nullopt : sc.cloud_profile, path, pool.line, "platform.cloud.pools",
                         "pool '" + pool.name + "': ");
  for (size_t g = 0; g < sc.edge_hardware.size(); ++g) {
    const cost::Hardware& hw = sc.edge_hardware[g];
    const MemoryNeed edge = memory_need(sc.edge_model, hw, sc.edge_profile, {}, sc.serving);
    if (edge.model() <= hw.mem_bytes && edge.total() > hw.mem_bytes)
      runtime_too_large(sc, edge, sc.edge_model,
                        "the " + gb(hw.mem_bytes) + " of edge group '" + sc.platform.edge_groups[g].name + "' (" + hw.name + ")");
  }
}

// A policy parameter as its kind reads it: whole numbers and switches are
// refused when fractional, never rounded (the resolved scenario would
// record 2.5 while the policy ran 3).
double read_policy_param(YamlSection& p, const ParamSpec& ps) {
  switch (ps.kind) {
    case ParamKind::Number:
      return p.num_or(ps.name, ps.dflt, ps.lo, ps.hi);
    case ParamKind::Integer:
      return static_cast<double>(p.integer_or(ps.name, std::llround(ps.dflt), std::llround(std::ceil(ps.lo)),
                                              std::llround(std::floor(ps.hi))));
    case ParamKind::Flag: {
      if (!p.has(ps.name)) return p.num_or(ps.name, ps.dflt, ps.lo, ps.hi);
      const YAML::Node n = p.raw()[ps.name];
      if (n.IsScalar() && (n.Scalar() == "0" || n.Scalar() == "1")) return static_cast<double>(p.integer(ps.name, 0, 1));
      try {
        return p.flag_or(ps.name, ps.dflt >= 0.5) ? 1.0 : 0.0;
      } catch (const InputError& e) {
        p.fail(ps.name, e.found(), "true or false (or 1 or 0)");
      }
    }
  }
  return ps.dflt;
}

Scenario read_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  YAML::Node root = load_yaml_map(path, "sections platform, model, workload, policy, run");
  for (const auto& o : overrides) apply_override(root, o);
  Scenario sc;
  sc.source_file = path;
  YamlSection top(root, path);
  int mem_line = 0;  // of platform.cloud.mem_utilization (or the cloud section)
  int tp_line = 0, pp_line = 0;  // of platform.cloud.tensor_parallel and pipeline_parallel

  // platform
  {
    YamlSection plat = top.child("platform");
    for (auto& g : plat.list("edges")) {
      EdgeGroupSpec spec;
      spec.name = g.str("name");
      spec.count = static_cast<int>(g.integer_or("count", 1, 1, 100000));
      const cost::Hardware hw = load_named(g, "hardware", [&](const std::string&) {
        return cost::load_hardware(catalog_ref(g, "hardware", "hardware"));
      });
      spec.idle_w = hw.idle_w;
      spec.busy_w = hw.busy_w;
      spec.uplink = read_link(g.child("uplink"));
      spec.downlink = g.has("downlink") ? read_link(g.child("downlink"), spec.uplink) : spec.uplink;
      if (!g.has("downlink")) g.consume("downlink");
      spec.keep_context = g.flag_or("keep_context", true);
      if (g.has("cell")) {
        YamlSection cell = g.child("cell");
        spec.shared_cell = true;
        spec.cell_uplink = read_link(cell.child("uplink"));
        spec.cell_downlink = cell.has("downlink") ? read_link(cell.child("downlink"), spec.cell_uplink) : spec.cell_uplink;
        cell.consume("downlink");
        cell.finish();
      } else {
        g.consume("cell");
      }
      spec.radio = read_radio(g);
      g.finish();
      sc.platform.edge_groups.push_back(spec);
      sc.edge_hardware.push_back(hw);
    }
    if (sc.platform.edge_groups.empty()) plat.fail("edges", "an empty list", "at least one edge group");
    if (sc.platform.num_edges() > 100000) plat.fail("edges", std::to_string(sc.platform.num_edges()) + " devices", "at most 100000");
    // Read only when given, so scenarios without it resolve as before; the
    // cloud's defaults below come from it.
    if (plat.has("serving")) {
      sc.serving = load_named(plat, "serving", [&](const std::string&) {
        return cost::load_serving(catalog_ref(plat, "serving", "serving"));
      });
    } else {
      plat.consume("serving");
      sc.serving = cost::load_serving("vllm");
    }
    YamlSection cloud = plat.child("cloud");
    sc.cloud_hardware = load_named(cloud, "hardware", [&](const std::string&) {
      return cost::load_hardware(catalog_ref(cloud, "hardware", "hardware"));
    });
    const cost::Hardware& chw = sc.cloud_hardware;
    sc.platform.cloud.gpus = static_cast<int>(cloud.integer_or("gpus", 1, 1, 4096));
    read_parallelism(cloud, sc);
    tp_line = cloud.line_of("tensor_parallel");
    pp_line = cloud.line_of("pipeline_parallel");
    sc.platform.cloud.idle_w = chw.idle_w;
    sc.platform.cloud.busy_w = chw.busy_w;
    sc.cloud_max_batch = static_cast<int>(cloud.integer_or("max_batch", 256, 1, 65536));
    sc.cloud_mem_utilization = cloud.num_or("mem_utilization", 0.9, 0.05, 1.0);
    mem_line = cloud.line_of("mem_utilization");
    sc.cloud_token_budget = static_cast<int>(cloud.integer_or("chunked_prefill_tokens", 0, 0, 1 << 24));
    sc.cloud_kv_on_demand = cloud.choice("kv_cache", {"reserve", "on-demand"}, std::string("reserve")) == "on-demand";
    sc.cloud_dispatcher = cloud.choice("dispatcher", dispatcher_names(), std::string("least-loaded"));
    sc.cloud_prefix_caching = cloud.flag_or("prefix_caching", sc.serving.prefix_caching);
    sc.cloud_encoder_cache_tokens =
        static_cast<int>(cloud.integer_or("encoder_cache_tokens", sc.serving.encoder_cache_tokens, 0, 1 << 24));
    // The data-centre WAN: constant (bandwidth, one-way latency) or a
    // network trace (bandwidth and RTT over time), shared by every edge.
    YamlSection wan = cloud.child("wan", true);
    if (wan.has("trace")) {
      sc.platform.cloud.wan_in = read_link(wan);
    } else {
      sc.platform.cloud.wan_in.bandwidth_Bps = wan.quantity("bandwidth", "bandwidth", 100e9 / 8, 1.0, 1e13);
      sc.platform.cloud.wan_in.latency_s = wan.quantity("latency", "time", 0.0, 0, 10);
      wan.finish();
    }
    sc.platform.cloud.wan_out = sc.platform.cloud.wan_in;
    sc.cloud_pools = parse_cloud_pools(cloud, sc.platform.cloud.gpus, sc.cloud_parallel, sc.cloud_hardware,
                                       dispatcher_names(), [](YamlSection& pool, const std::string& key) {
                                         return load_named(pool, key, [&](const std::string&) {
                                           return cost::load_hardware(catalog_ref(pool, key, "hardware"));
                                         });
                                       });
    sc.platform.cloud.interconnect = parse_interconnect(cloud, !sc.cloud_pools.empty());
    cloud.finish();
    YamlSection proto = plat.child("protocol", true);
    sc.protocol.bytes_per_token = proto.num_or("bytes_per_token", 4, 0, 1e6);
    sc.protocol.header_bytes = proto.num_or("header_bytes", 300, 0, 1e9);
    proto.finish();
    sc.platform.faults = parse_faults(plat.child("faults", true));
    if (!sc.serving.continuous_batching) sc.cloud_max_batch = 1;
    plat.finish();
  }
  // model
  {
    YamlSection m = top.child("model");
    // Loaded here only to check them (the run loads them again), so a bad name stops before any fork.
    auto model_ref = [&m](const std::string& key) {
      return load_named(m, key, [&](const std::string&) {
        const std::string ref = catalog_ref(m, key, "models");
        cost::load_model(ref);
        return ref;
      });
    };
    sc.edge_model = model_ref("edge");
    sc.cloud_model = model_ref("cloud");
    check_parallelism(sc, sc.cloud_parallel, path, tp_line, pp_line);
    for (const CloudPoolConfig& pool : sc.cloud_pools)
      check_parallelism(sc, pool.parallel, path, pool.line, pool.line, "platform.cloud.pools");
    if (m.has("edge_profile")) sc.edge_profile = m.file_path("edge_profile"); else m.consume("edge_profile");
    if (m.has("cloud_profile")) sc.cloud_profile = m.file_path("cloud_profile"); else m.consume("cloud_profile");
    m.finish();
  }
  // workload
  {
    YamlSection w = top.child("workload");
    sc.workload = parse_workload(w);
    // Every closed-loop user is a request in flight with its own actor stack.
    const double users = static_cast<double>(sc.workload.arrival.users_per_edge) * sc.platform.num_edges();
    if (sc.workload.arrival.type == ArrivalType::Closed && users > kMaxClosedLoopUsers) {
      const YAML::Node u = w.raw()["arrival"]["users_per_edge"];
      throw InputError(path, u && u.Mark().line >= 0 ? u.Mark().line + 1 : 0, "workload.arrival.users_per_edge",
                       std::to_string(sc.workload.arrival.users_per_edge) + " users on each of " +
                           std::to_string(sc.platform.num_edges()) + " edges",
                       "at most " + std::to_string(kMaxClosedLoopUsers) + " closed-loop users in all");
    }
  }
  // policy
  {
    YamlSection p = top.child("policy");
    sc.policy = p.str("type");
    const PolicyInfo* info = find_policy(sc.policy);
    if (!info) p.fail("type", "'" + sc.policy + "'", "one of the registered policies: " + policy_names());
    for (const auto& ps : info->params) sc.policy_params[ps.name] = read_policy_param(p, ps);
    p.finish();
  }
  // run
  {
    YamlSection r = top.child("run", true);
    sc.seed = static_cast<uint64_t>(r.integer_or("seed", 1, 0, (1LL << 62)));
    sc.platform.faults.seed = sc.seed;  // GPU failure draws follow the run's seed
    sc.horizon_s = r.quantity("horizon", "time", 0.0, 0, 1e9);
    sc.slo_s = r.quantity("slo", "time", 1.0, 1e-6, 1e6);
    sc.bw_ewma_alpha = r.num_or("bandwidth_ewma_alpha", 0.3, 1e-6, 1.0);
    sc.check_invariants = r.flag_or("check_invariants", true);
    // Each request in flight holds an actor stack (about 37 KB), as a closed-loop user does: the same bound.
    sc.max_in_flight = static_cast<size_t>(r.integer_or("max_in_flight", static_cast<long long>(kMaxLiveRequests), 1, kMaxClosedLoopUsers));
    r.finish();
  }
  top.finish();
  check_memory(sc, path, mem_line);
  sc.resolved = top.resolved();
  return sc;
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  try {
    return read_scenario(path, overrides);
  } catch (const InputError& e) {
    blame_override(e, path, overrides);
    throw;
  }
}

}  // namespace msao
