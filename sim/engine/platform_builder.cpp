// Builds the SimGrid platform of one simulation: a star zone whose centre is
// the Internet core. Each edge host has its own up and down access links
// (optionally also its group's shared cell links); the cloud GPUs share the
// data-centre WAN links. A star zone keeps routing O(hosts) in memory, which
// a full zone (O(hosts^2)) would not for 10,000 edges. A star zone routes
// any two hosts through its centre, so a disaggregated cloud, whose GPUs
// send to one another, puts the WAN links on the edges' side of the centre
// and gives each GPU its own interconnect links: edge to GPU crosses the
// access links, the WAN and the GPU's link in; GPU to GPU only the two
// GPUs' interconnect links.
#include <simgrid/kernel/ProfileBuilder.hpp>
#include <simgrid/kernel/routing/NetPoint.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>

#include "sim/engine/platform_spec.hpp"

namespace sg4 = simgrid::s4u;

namespace msao {

int PlatformSpec::num_edges() const {
  int n = 0;
  for (const auto& g : edge_groups) n += g.count;
  return n;
}

namespace {

namespace prof = simgrid::kernel::profile;

// The SimGrid bandwidth profile of a network trace, one per trace and
// simulation, shared by every link that follows the trace (SimGrid keeps a
// position per link, as for the two halves of a split-duplex link). Its
// dated values are appended straight from the parsed rows, exactly as
// ProfileBuilder::from_string would parse simgrid_bandwidth_profile()'s
// text (each row's time minus the previous one's, its bytes/s; when the
// trace loops, each further round again, its first delay lengthened by
// period_s minus the last row's time, SimGrid appending a round whenever a
// link reaches the end). from_string, once per link, kept both a copy of the
// text and every row as a StochasticDatedValue (two heap vectors a row):
// about 280 MB per link for 1,000,000 rows, so 15 edges on such a trace ran
// out of 4 GB.
class TraceProfiles {
 public:
  prof::Profile* get(const std::shared_ptr<const NetworkTrace>& tr, const std::string& name) {
    auto [it, fresh] = profiles_.try_emplace(tr.get(), nullptr);
    if (!fresh) return it->second;
    const bool loop = tr->period_s > 0;
    const double loop_delay = loop ? tr->period_s - tr->t_s.back() : 0;
    auto rounds = [tr, loop, loop_delay](std::vector<prof::DatedValue>& events) {
      const size_t first = events.size();
      if (first > 0 && !loop) return;
      double last = 0;
      for (size_t i = 0; i < tr->t_s.size(); ++i) {
        events.emplace_back(tr->t_s[i] - last, tr->bandwidth_Bps[i]);
        last = tr->t_s[i];
      }
      if (first > 0) events.at(first).date_ += loop_delay;
    };
    return it->second = prof::ProfileBuilder::from_callback(name, rounds, loop ? loop_delay : -1.0);
  }

 private:
  std::map<const NetworkTrace*, prof::Profile*> profiles_;  // owned by SimGrid (freed with the engine)
};

sg4::Link* make_link(sg4::NetZone* zone, const std::string& name, const LinkSpec& s, TraceProfiles& profiles) {
  sg4::Link* l = zone->create_link(name, s.bandwidth_Bps)->set_latency(s.latency_s);
  if (s.bandwidth_trace) l->set_bandwidth_profile(profiles.get(s.bandwidth_trace, name + "-bw"));
  if (s.outage.on())
    l->set_state_profile(
        simgrid::kernel::profile::ProfileBuilder::from_string(name + "-state", s.outage.state_profile(), s.outage.every_s));
  return l->seal();
}

sg4::Host* make_host(sg4::NetZone* zone, const std::string& name, double idle_w, double busy_w) {
  sg4::Host* h = zone->create_host(name, kHostSpeed);
  // One core: "idle:one-core-busy:all-cores-busy" watts for the energy plugin.
  h->set_property("wattage_per_state", std::to_string(idle_w) + ":" + std::to_string(busy_w) + ":" + std::to_string(busy_w));
  h->set_property("wattage_off", "0");
  return h->seal();
}

// The per-send delay of a route: the sum of its links' trace delays (a
// link without an RTT trace adds none). Empty when no link has one.
std::function<double(double)> route_delay(std::vector<std::function<double(double)>> links) {
  std::erase_if(links, [](const auto& f) { return !f; });
  if (links.empty()) return {};
  if (links.size() == 1) return links.front();
  return [links](double t) {
    double d = 0;
    for (const auto& f : links) d += f(t);
    return d;
  };
}

}  // namespace

BuiltPlatform build_platform(const PlatformSpec& spec) {
  BuiltPlatform out;
  TraceProfiles profiles;
  auto* zone = sg4::create_star_zone("internet");
  LinkSpec wan_in_spec = spec.cloud.wan_in, wan_out_spec = spec.cloud.wan_out;
  wan_in_spec.outage = wan_out_spec.outage = spec.faults.wan_outage;
  const bool disaggregated = spec.cloud.interconnect.bandwidth_Bps > 0;
  LinkSpec nic = spec.cloud.interconnect;
  nic.latency_s /= 2;
  // (Made here, before the edges, only when the edges' routes hold them.)
  sg4::Link* wan_in = disaggregated ? make_link(zone, "wan-in", wan_in_spec, profiles) : nullptr;
  sg4::Link* wan_out = disaggregated ? make_link(zone, "wan-out", wan_out_spec, profiles) : nullptr;
  for (const auto& g : spec.edge_groups) {
    sg4::Link* cell_up = nullptr;
    sg4::Link* cell_down = nullptr;
    if (g.shared_cell) {
      // The shared cell is part of the access network: it goes down with it.
      LinkSpec cu = g.cell_uplink, cd = g.cell_downlink;
      cu.outage = cd.outage = spec.faults.access_outage;
      cell_up = make_link(zone, g.name + "-cell-up", cu, profiles);
      cell_down = make_link(zone, g.name + "-cell-down", cd, profiles);
    }
    for (int i = 0; i < g.count; ++i) {
      std::string name = g.name + "-" + std::to_string(i);
      sg4::Host* h = make_host(zone, name, g.idle_w, g.busy_w);
      LinkSpec uplink = g.uplink, downlink = g.downlink;
      uplink.outage = downlink.outage = spec.faults.access_outage;
      std::vector<sg4::LinkInRoute> up{sg4::LinkInRoute(make_link(zone, name + "-up", uplink, profiles))};
      std::vector<sg4::LinkInRoute> down{sg4::LinkInRoute(make_link(zone, name + "-down", downlink, profiles))};
      double lat = g.uplink.latency_s, bw = g.uplink.bandwidth_Bps;
      if (cell_up) {
        up.emplace_back(cell_up);
        down.insert(down.begin(), sg4::LinkInRoute(cell_down));
        lat += g.cell_uplink.latency_s;
        bw = std::min(bw, g.cell_uplink.bandwidth_Bps);
      }
      if (disaggregated) {
        up.emplace_back(wan_in);
        down.insert(down.begin(), sg4::LinkInRoute(wan_out));
      }
      zone->add_route(h->get_netpoint(), nullptr, nullptr, nullptr, up, false);
      zone->add_route(nullptr, h->get_netpoint(), nullptr, nullptr, down, false);
      out.edges.push_back(h);
      out.edge_dynamic_w.push_back(g.busy_w - g.idle_w);
      const auto cell_up_delay = cell_up ? g.cell_uplink.extra_latency : nullptr;
      const auto cell_down_delay = cell_up ? g.cell_downlink.extra_latency : nullptr;
      out.edge_up_extra_latency.push_back(route_delay({g.uplink.extra_latency, cell_up_delay, spec.cloud.wan_in.extra_latency}));
      out.edge_down_extra_latency.push_back(
          route_delay({spec.cloud.wan_out.extra_latency, cell_down_delay, g.downlink.extra_latency}));
      out.edge_one_way_latency.push_back(lat + spec.cloud.wan_in.latency_s + (disaggregated ? nic.latency_s : 0));
      out.edge_uplink_Bps.push_back(std::min(bw, spec.cloud.wan_in.bandwidth_Bps));
    }
  }
  if (!disaggregated) {
    wan_in = make_link(zone, "wan-in", wan_in_spec, profiles);
    wan_out = make_link(zone, "wan-out", wan_out_spec, profiles);
  }
  for (int i = 0; i < spec.cloud.gpus; ++i) {
    const std::string name = "cloud-" + std::to_string(i);
    const bool own = static_cast<size_t>(i) < spec.cloud.gpu_idle_w.size();
    sg4::Host* h = make_host(zone, name, own ? spec.cloud.gpu_idle_w[i] : spec.cloud.idle_w,
                             own ? spec.cloud.gpu_busy_w[i] : spec.cloud.busy_w);
    sg4::Link* out_link = disaggregated ? make_link(zone, name + "-out", nic, profiles) : wan_out;
    sg4::Link* in_link = disaggregated ? make_link(zone, name + "-in", nic, profiles) : wan_in;
    zone->add_route(h->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(out_link)}, false);
    zone->add_route(nullptr, h->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(in_link)}, false);
    out.clouds.push_back(h);
  }
  zone->seal();
  return out;
}

}  // namespace msao
