#include "sim/engine/replica_energy.hpp"

#include <simgrid/plugins/energy.h>

namespace msao {

ReplicaEnergy::ReplicaEnergy(const std::vector<simgrid::s4u::Host*>& hosts) {
  for (simgrid::s4u::Host* h : hosts) {
    Gpu g;
    if (h->get_property("wattage_per_state") != nullptr) {
      const int p = static_cast<int>(h->get_pstate());
      g.idle_w = sg_host_get_idle_consumption_at(h, p);
      // The plugin's power under load: epsilon + load x slope, the load
      // being the CPU's usage (one exec at the host's whole speed) over its
      // pstate's speed and its cores, at most 1.
      double load = h->get_speed() / h->get_pstate_speed(p);
      load /= h->get_core_count();
      if (load > 1) load = 1;
      g.busy_w = load > 0 ? sg_host_get_wattmin_at(h, p) + load * sg_host_get_power_range_slope_at(h, p) : g.idle_w;
    }
    gpus_.push_back(g);
  }
}

}  // namespace msao
