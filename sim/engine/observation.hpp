// Observation: what an edge device can know when it decides a request's
// plan. Estimates come from the device's own transfers; the cloud queue is
// the dispatcher's load figure read when the decision is made (as a load
// balancer's status endpoint reports it), so it is fresh even while the
// device answers locally and never counts the deciding request's own job;
// `truth` is the simulator's ground truth, for the oracle policy only.
#pragma once

namespace msao {

struct Observation {
  double now = 0;
  int edge = 0;
  double bandwidth_est_Bps = 0;  // uplink goodput measured from recent transfers (EWMA)
  double rtt_est_s = 0;          // round-trip time estimate
  int edge_queue = 0;            // requests at this edge waiting for or holding its accelerator
  // Requests other than this one waiting for, running on or uploading to
  // the least-loaded cloud GPU (the one holding this request's context, if
  // it has one there), now.
  int cloud_queue = 0;
  // Faults as the device saw them: consecutive failed cloud interactions
  // (a link down, a lost job, a timeout; 0 after a success) and when the
  // last failure and the last success were.
  int cloud_failures = 0;
  double last_cloud_failure_s = -1e300, last_cloud_success_s = -1e300;
  // Where the request's conversation lives (0 outside sessions): tokens of
  // its prompt the device's own model already holds from earlier turns (the
  // planner prices the edge model's prefill without them).
  int session_edge_tokens = 0;
  struct Truth {
    double uplink_Bps = 0;       // nominal bottleneck bandwidth now
    double one_way_latency_s = 0;
    int cloud_load = 0;          // waiting + running requests at the least-loaded GPU
  } truth;
};

}  // namespace msao
