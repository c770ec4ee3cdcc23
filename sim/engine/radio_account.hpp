// Radio energy of one edge device's access link (docs/energy.md). The
// power model is Huang et al.'s (MobiSys 2012): while data moves the radio
// draws beta + alpha_u x uplink Mbit/s + alpha_d x downlink Mbit/s; a radio
// that was idle first promotes (a fixed time at a fixed power) before data
// can move; after its last transfer it stays in a tail (LTE's RRC_CONNECTED
// inactivity timer, Wi-Fi's short one) at tail power, and a transfer that
// starts during the tail resets it with no new promotion; then idle.
//
// Attribution (each request pays what its own transfers changed, so the
// requests' sum is the edge's total): a transfer that finds the radio idle
// pays the promotion; at its end a transfer pays its bytes' alpha energy
// and the radio time it newly covers: active time at beta from the later
// of the earliest data start still in flight and the previous end, a tail
// that was already paid for and turns into active time at (beta - tail
// power), and the stretch by which it pushes the tail's end out at tail
// power. The tail after an edge's last transfer is paid in full, even past
// the end of the run. Idle power is the edge's, never a request's.
// RadioAccount keeps these charges and, separately, integrates the radio's
// state over time (energy_by_state), which tests compare with the charges.
// Pure bookkeeping: no SimGrid here, the engine passes simulated times.
#pragma once
#include <string>
#include <vector>

namespace msao {

// One radio technology's parameters (a platforms/radios/*.yaml entry, with
// a scenario's overrides). `name` "none": no radio energy is counted.
struct RadioSpec {
  std::string name = "none";
  double uplink_mw_per_mbps = 0;    // alpha_u
  double downlink_mw_per_mbps = 0;  // alpha_d
  double active_w = 0;              // beta: base power while data moves
  double promotion_s = 0, promotion_w = 0;  // idle -> connected
  double tail_s = 0, tail_w = 0;    // connected, no data, until idle
  double idle_w = 0;                // idle (paging), charged to the edge only
  bool enabled() const { return name != "none"; }
};

class RadioAccount {
 public:
  explicit RadioAccount(const RadioSpec* spec = nullptr) : spec_(spec) {}
  bool enabled() const { return spec_ && spec_->enabled(); }

  // A transfer wants the radio at time t. Its data starts at `data_start`
  // (later than t while the radio promotes: this transfer's promotion, or
  // one already under way), and `promotion_j` is the promotion it caused.
  struct Begin {
    double data_start = 0;
    double promotion_j = 0;
  };
  Begin begin(double t);
  // That transfer (data from `data_start`) ended at t, done or cancelled,
  // having moved `bytes`. Returns the energy charged to it at its end.
  double end(double data_start, double t, double bytes, bool up);

  // Joules charged to transfers so far (promotions included).
  double charged_j() const { return charged_j_; }
  // The state integral up to t_end: promotion, active (beta and alpha),
  // tail (the last tail counted in full, as charged) and idle energy.
  struct ByState {
    double promotion_j = 0, active_j = 0, tail_j = 0, idle_j = 0;
    double non_idle_j() const { return promotion_j + active_j + tail_j; }
  };
  ByState energy_by_state(double t_end) const;

 private:
  // Integrates the state from last_t_ to t (no event in between).
  void advance(double t);
  double tail_end() const { return last_end_ + spec_->tail_s; }

  const RadioSpec* spec_;
  int in_flight_ = 0;                // transfers begun and not ended
  std::vector<double> data_starts_;  // of those transfers
  double promoted_until_ = -1e300;   // data waits until then
  double last_end_ = -1e300;         // latest transfer end (the tail runs from it)
  double last_t_ = 0;                // the state is integrated up to here
  double charged_j_ = 0;
  ByState state_;
};

// Energy of `bytes` at alpha mW per Mbit/s: alpha x Mbit/s x seconds.
inline double alpha_energy_j(double mw_per_mbps, double bytes) { return mw_per_mbps * 1e-3 * bytes * 8e-6; }

}  // namespace msao
