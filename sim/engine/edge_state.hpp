// EdgeState: one edge device during a simulation: its accelerator (a FIFO
// semaphore: one request's stages run at a time, in arrival order), its
// queue length, and its running estimates of the network.
#pragma once
#include <simgrid/s4u.hpp>

#include "sim/engine/edge_sessions.hpp"

namespace msao {

struct EdgeState {
  simgrid::s4u::Host* host = nullptr;
  simgrid::s4u::SemaphorePtr accel = simgrid::s4u::Semaphore::create(1);
  int queue = 0;                // requests waiting for or holding the accelerator
  double bw_est_Bps = 0;        // EWMA of measured uplink goodput
  double rtt_est_s = 0;
  bool down = false;                  // the device has failed (platform.faults.edge_failure)
  int cloud_failures = 0;             // consecutive failed cloud interactions (0 after a success)
  double last_cloud_failure_s = -1e300, last_cloud_success_s = -1e300;
  double busy_s = 0;
  double nominal_one_way_s = 0;
  double nominal_bw_Bps = 0;
  EdgeSessions sessions;  // conversations whose context its model's KV holds

  // Joins the accelerator's FIFO queue and waits for it.
  void take_accel() {
    ++queue;
    accel->acquire();
  }
  void release_accel() {
    accel->release();
    --queue;
  }
};

}  // namespace msao
