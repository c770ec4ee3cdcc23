// ReplicaEnergy: the energy of one model replica's GPUs for a batching
// server that times its iterations with a wait on its own host instead of
// an exec on every GPU (an exec takes four SimGrid calls and a share of the
// CPU model's solve per GPU; iterations come by the hundred thousand).
//
// It counts as SimGrid's host energy plugin counts a host running those
// execs, so the totals are the plugin's, bit for bit: at each update the
// plugin adds the power of that moment times the time since the host's last
// update. A GPU is updated when an iteration's exec starts on it (at idle
// power: the new exec has no share of the CPU yet), when the exec ends or is
// cancelled (at busy power), and when some other activity on its host ends
// (the fault actors' sleeps on the replica's first GPU), at the power of
// that moment. Powers are the plugin's, from the host's wattage_per_state.
#pragma once
#include <cstddef>
#include <vector>

#include <simgrid/s4u/Host.hpp>

namespace msao {

class ReplicaEnergy {
 public:
  // hosts: the replica's GPUs, its first (the server's host) first.
  explicit ReplicaEnergy(const std::vector<simgrid::s4u::Host*>& hosts);
  // An iteration starts on every GPU at t (idle since the last update).
  void start(double t) {
    for (Gpu& g : gpus_) update(g, t, g.idle_w);
  }
  // The iteration ends, or is lost, on every GPU at t (busy since it started).
  void stop(double t) {
    for (Gpu& g : gpus_) update(g, t, g.busy_w);
  }
  // Another activity on the first GPU's host ends at t.
  void first_host_event(double t, bool busy) {
    if (!gpus_.empty()) update(gpus_.front(), t, busy ? gpus_.front().busy_w : gpus_.front().idle_w);
  }
  size_t gpus() const { return gpus_.size(); }
  // Joules of GPU `gpu` up to `now` (the plugin's last update at the end of a run).
  double joules(size_t gpu, double now, bool busy) const {
    Gpu g = gpus_.at(gpu);
    update(g, now, busy ? g.busy_w : g.idle_w);
    return g.joules;
  }

 private:
  struct Gpu {
    double idle_w = 0, busy_w = 0;  // 0 W without a wattage_per_state (the plugin's default)
    double joules = 0, last_s = 0;  // the plugin's total and its last update (the host exists from t = 0)
  };
  static void update(Gpu& g, double t, double watts) {
    if (g.last_s < t) {
      g.joules = g.joules + watts * (t - g.last_s);
      g.last_s = t;
    }
  }
  std::vector<Gpu> gpus_;
};

}  // namespace msao
