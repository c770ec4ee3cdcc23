// PlatformSpec: the resolved hardware and network of one simulation, as
// plain values (the scenario parser fills it from YAML and the catalogs).
// build_platform() turns it into SimGrid zones, hosts and links.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/engine/fault_spec.hpp"
#include "sim/engine/radio_account.hpp"
#include "workloads/network_trace.hpp"

namespace msao {

struct LinkSpec {
  double bandwidth_Bps = 0;   // nominal bandwidth, bytes/s (> 0)
  double latency_s = 0;       // one-way latency, seconds
  // The network trace whose bandwidth the link follows (looping when its
  // period_s > 0); null = constant. Shared, not copied: every link on one
  // trace (a group of edges, a fleet) gets the same parsed rows and the same
  // SimGrid profile (build_platform).
  std::shared_ptr<const NetworkTrace> bandwidth_trace;
  // Time-varying RTT: the link keeps a constant latency floor and each send
  // waits extra_latency(t_send) first. (A SimGrid latency-profile event
  // during a transfer's latency phase deadlocks it: traces/README.md.)
  std::function<double(double)> extra_latency;
  OutageSpec outage;  // periodic outages (a SimGrid state profile); off by default
};

struct EdgeGroupSpec {
  std::string name;        // group name, hosts are named <name>-<i>
  int count = 1;
  double idle_w = 0, busy_w = 0;  // for SimGrid's energy plugin
  LinkSpec uplink, downlink;      // each edge's own access link
  bool shared_cell = false;       // also route through one cell link shared by the group
  LinkSpec cell_uplink, cell_downlink;
  RadioSpec radio;                // the access link's radio energy model (docs/energy.md); "none" by default
  bool keep_context = true;       // a device's model keeps its conversations' KV between turns
};

struct CloudSpec {
  int gpus = 1;                   // hosts cloud-0 .. cloud-(gpus-1)
  int replica_gpus = 1;           // GPUs serving one model replica (tensor x pipeline parallel)
  double idle_w = 0, busy_w = 0;
  // Per GPU, when a disaggregated cloud's pools differ in hardware (empty:
  // idle_w and busy_w for every GPU).
  std::vector<double> gpu_idle_w, gpu_busy_w;
  LinkSpec wan_in, wan_out;       // shared data-centre links (edge->cloud, cloud->edge)
  // A disaggregated cloud's network (bandwidth 0: none, a monolithic cloud):
  // each GPU's own link into the data-centre fabric and one out of it, each
  // with half the latency, so GPU to GPU is one interconnect hop.
  LinkSpec interconnect;
};

struct PlatformSpec {
  std::vector<EdgeGroupSpec> edge_groups;
  CloudSpec cloud;
  FaultSpec faults;
  int num_edges() const;
};

// Host speed in "work units" per second: execs are given as seconds of
// device time times this speed, so SimGrid's work-amount precision (1e-5
// units) is far below a nanosecond.
inline constexpr double kHostSpeed = 1e9;

struct BuiltPlatform {
  std::vector<simgrid::s4u::Host*> edges;  // in group order
  std::vector<simgrid::s4u::Host*> clouds;
  std::vector<double> edge_one_way_latency;  // nominal, per edge, to the cloud (s)
  std::vector<double> edge_uplink_Bps;       // nominal bottleneck, per edge
  std::vector<double> edge_dynamic_w;        // busy - idle watts, per edge (energy attribution)
  std::vector<std::function<double(double)>> edge_up_extra_latency, edge_down_extra_latency;  // per edge, may be empty
};

BuiltPlatform build_platform(const PlatformSpec& spec);

}  // namespace msao
